using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Blazor.Server.Internal;
using Reverification.Client;

namespace Reverification.Blazor.Tests.Server;

/// <summary>
/// The circuit-scoped accessor: during a circuit's inbound activity the handler's resolver finds that circuit's own
/// dialog service, and nothing outside it.
/// </summary>
public sealed class CircuitServicesTests
{
    private static ServiceProvider Provider()
    {
        var services = new ServiceCollection();
        services.AddReverificationBlazorServer();
        return services.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Runs <paramref name="activity"/> as the circuit's handlers run an inbound activity (an event handler).</summary>
    private static async Task<T> InCircuitAsync<T>(IServiceProvider circuit, Func<Task<T>> activity)
    {
        var result = default(T)!;
        var pipeline = circuit.GetServices<CircuitHandler>()
            .Aggregate<CircuitHandler, Func<CircuitInboundActivityContext, Task>>(
                async _ => result = await activity(),
                static (next, handler) => handler.CreateInboundActivityHandler(next));
        await pipeline(null!);
        return result;
    }

    [Fact]
    public async Task Resolver_DuringACircuitsActivity_ThatCircuitsDialog()
    {
        using var provider = Provider();
        using var alice = provider.CreateScope();
        using var bob = provider.CreateScope();
        var resolver = provider.GetRequiredService<IReverificationPromptResolver>();

        var forAlice = await InCircuitAsync(alice.ServiceProvider, () => Task.Run(resolver.Resolve));
        var forBob = await InCircuitAsync(bob.ServiceProvider, () => Task.FromResult(resolver.Resolve()));

        Assert.Same(alice.ServiceProvider.GetRequiredService<ReverificationDialogService>(), forAlice);
        Assert.Same(bob.ServiceProvider.GetRequiredService<ReverificationDialogService>(), forBob);
        Assert.NotSame(forAlice, forBob);
    }

    [Fact]
    public async Task Resolver_OutsideACircuit_None()
    {
        using var provider = Provider();
        using var circuit = provider.CreateScope();
        var resolver = provider.GetRequiredService<IReverificationPromptResolver>();
        await InCircuitAsync(circuit.ServiceProvider, () => Task.FromResult(resolver.Resolve()));

        Assert.Null(resolver.Resolve());
    }

    [Fact]
    public void DialogService_OnePerCircuit()
    {
        using var provider = Provider();
        using var a = provider.CreateScope();
        using var b = provider.CreateScope();

        Assert.NotSame(a.ServiceProvider.GetRequiredService<ReverificationDialogService>(), b.ServiceProvider.GetRequiredService<ReverificationDialogService>());
        Assert.Same(a.ServiceProvider.GetRequiredService<ReverificationDialogService>(), a.ServiceProvider.GetRequiredService<IReverificationPrompt>());
    }

    [Fact]
    public void AddReverificationBlazorServer_AfterASingletonDialog_Throws()
    {
        var services = new ServiceCollection();
        services.AddReverificationBlazor();

        var e = Assert.Throws<InvalidOperationException>(() => services.AddReverificationBlazorServer());

        Assert.Contains("instead of AddReverificationBlazor()", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClientFactory_HandlerPromptsInTheCircuitThatSends()
    {
        var services = new ServiceCollection();
        services.AddReverificationBlazorServer();
        var api = new DeniedThenOk();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri("https://api.test/"))
            .AddReverificationHandler()
            .ConfigurePrimaryHttpMessageHandler(() => api);
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        using var circuit = provider.CreateScope();
        var dialogs = circuit.ServiceProvider.GetRequiredService<ReverificationDialogService>();
        dialogs.AttachDialog();
        var client = circuit.ServiceProvider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        var sending = InCircuitAsync(circuit.ServiceProvider, () => client.GetAsync("transfer"));
        await WaitUntilAsync(() => dialogs.Current is not null);
        dialogs.Current!.Complete();
        using var response = await sending;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Calls);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private sealed class DeniedThenOk : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(Interlocked.Increment(ref Calls) == 1
                ? new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}"""),
                }
                : new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}
