using Microsoft.Extensions.DependencyInjection;
using Reverification.Client;

namespace Reverification.Blazor.Tests;

public sealed class ReverificationBlazorServiceCollectionExtensionsTests
{
    [Fact]
    public void AddReverificationBlazor_Default_OneSingletonAlsoThePrompt()
    {
        var services = new ServiceCollection().AddReverificationBlazor().AddReverificationBlazor();
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var service = provider.GetRequiredService<ReverificationDialogService>();
        Assert.Same(service, provider.GetRequiredService<IReverificationPrompt>());
        Assert.Same(service, scope.ServiceProvider.GetRequiredService<IReverificationPrompt>());
        Assert.Single(services, d => d.ServiceType == typeof(ReverificationDialogService));
    }

    [Fact]
    public void AddReverificationBlazor_Scoped_OnePerScope()
    {
        using var provider = new ServiceCollection().AddReverificationBlazor(ServiceLifetime.Scoped).BuildServiceProvider();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();

        var service = first.ServiceProvider.GetRequiredService<ReverificationDialogService>();
        Assert.Same(service, first.ServiceProvider.GetRequiredService<IReverificationPrompt>());
        Assert.NotSame(service, second.ServiceProvider.GetRequiredService<ReverificationDialogService>());
    }

    [Fact]
    public void AddReverificationBlazor_Transient_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddReverificationBlazor(ServiceLifetime.Transient));
}
