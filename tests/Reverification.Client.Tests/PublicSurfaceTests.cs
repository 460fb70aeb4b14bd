namespace Reverification.Client.Tests;

/// <summary>The package's conventions for its public types (PublicAPI.*.txt tracks the members).</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void PublicTypes_AreSealedStaticInterfacesOrEnums()
    {
        var open = typeof(ReverificationHandler).Assembly.GetExportedTypes()
            .Where(t => t is { IsInterface: false, IsEnum: false, IsSealed: false })
            .Select(t => t.FullName);

        Assert.Empty(open);
    }

    [Fact]
    public void InternalNamespaces_HaveNoPublicTypes()
    {
        var leaked = typeof(ReverificationHandler).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is "Reverification.Client.Internal" or "Reverification.Shared")
            .Select(t => t.FullName);

        Assert.Empty(leaked);
    }
}
