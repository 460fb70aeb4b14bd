using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>
/// A handler shared by several users (IHttpClientFactory's, in Blazor Server) with an
/// <see cref="IReverificationPromptResolver"/>: each request prompts its own user's prompt, and two users never share one.
/// </summary>
public sealed class ReverificationHandlerPromptResolverTests
{
    /// <summary>Picks the prompt of the "user" of the current async flow, as the circuit accessor does.</summary>
    private sealed class FlowResolver : IReverificationPromptResolver
    {
        private static readonly AsyncLocal<IReverificationPrompt?> Current = new();

        public int Calls { get; private set; }

        public static void Use(IReverificationPrompt? prompt) => Current.Value = prompt;

        public IReverificationPrompt? Resolve()
        {
            Calls++;
            return Current.Value;
        }
    }

    private static HttpClient CreateClient(IReverificationPromptResolver resolver, HttpMessageHandler inner)
        => new(new ReverificationHandler(resolver, options: null, logger: null) { InnerHandler = inner }) { BaseAddress = BaseAddress };

    [Fact]
    public async Task SendAsync_TwoUsersAtOnce_EachPromptsItsOwnPrompt()
    {
        var aliceApi = new StepUpApi();
        var bobApi = new StepUpApi();
        var alice = new FakePrompt { OnVerified = () => aliceApi.Fresh = true };
        var bob = new FakePrompt();
        var resolver = new FlowResolver();
        using var inner = new RoutingHandler(aliceApi.Handler, bobApi.Handler);
        using var client = CreateClient(resolver, inner);

        var aliceRequest = Task.Run(() => { FlowResolver.Use(alice); return client.GetAsync("alice/transfer"); });
        await alice.Called;
        var bobRequest = Task.Run(() => { FlowResolver.Use(bob); return client.GetAsync("bob/transfer"); });
        await bob.Called;

        // Bob's request did not join Alice's prompt: when Alice verifies, only her request is retried.
        alice.Answer(true);
        using var aliceResponse = await aliceRequest;
        Assert.Equal(HttpStatusCode.OK, aliceResponse.StatusCode);
        Assert.False(bobRequest.IsCompleted);
        bob.Answer(false);
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => bobRequest);
        Assert.Equal(1, alice.Calls);
        Assert.Equal(1, bob.Calls);
    }

    [Fact]
    public async Task SendAsync_NoPromptForTheRequest_PassesThroughUntilReverificationIsNeeded()
    {
        var api = new StepUpApi { Fresh = true };
        var resolver = new FlowResolver();
        using var client = CreateClient(resolver, api.Handler);
        FlowResolver.Use(null);

        using (var ok = await client.GetAsync("transfer"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        api.Fresh = false;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("transfer"));
        Assert.Contains("no prompt serves this request", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, api.Handler.Calls);
    }

    [Fact]
    public async Task AddReverificationHandler_ResolverRegistered_UsedInsteadOfThePrompt()
    {
        var resolver = new FlowResolver();
        var services = new ServiceCollection();
        services.AddSingleton<IReverificationPromptResolver>(resolver);
        services.AddHttpClient("api", c => c.BaseAddress = BaseAddress)
            .AddReverificationHandler()
            .ConfigurePrimaryHttpMessageHandler(() => new StepUpApi { Fresh = true }.Handler);
        using var provider = services.BuildServiceProvider();

        // No IReverificationPrompt is registered: building the handler would fail without the resolver.
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, resolver.Calls);
    }

    /// <summary>Sends /alice/... to one API and /bob/... to the other.</summary>
    private sealed class RoutingHandler(HttpMessageHandler alice, HttpMessageHandler bob) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _alice = new(alice);
        private readonly HttpMessageInvoker _bob = new(bob);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => (request.RequestUri!.AbsolutePath.StartsWith("/alice", StringComparison.Ordinal) ? _alice : _bob).SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _alice.Dispose();
                _bob.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
