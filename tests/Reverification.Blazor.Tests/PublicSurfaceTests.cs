namespace Reverification.Blazor.Tests;

/// <summary>The package's conventions for its public types (PublicAPI.*.txt tracks the members).</summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void PublicTypes_AreSealedStaticInterfacesOrEnums()
    {
        var open = typeof(ReverificationDialog).Assembly.GetExportedTypes()
            .Where(t => t is { IsInterface: false, IsEnum: false, IsSealed: false })
            .Select(t => t.FullName);

        Assert.Empty(open);
    }

    [Fact]
    public void InternalNamespaces_HaveNoPublicTypes()
    {
        var leaked = typeof(ReverificationDialog).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is "Reverification.Blazor.Internal" or "Reverification.Shared")
            .Select(t => t.FullName);

        Assert.Empty(leaked);
    }
}
