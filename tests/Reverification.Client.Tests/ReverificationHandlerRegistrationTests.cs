using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>Registration with IHttpClientFactory and the handler's constructor.</summary>
public sealed class ReverificationHandlerRegistrationTests
{
    [Fact]
    public async Task AddReverificationHandler_BeforeTokenHandler_RetryCarriesFreshToken()
    {
        var tokens = new TokenStore { Token = "stale" };
        var inner = new FakeInnerHandler(request => request.Headers.Authorization?.Parameter == "fresh" ? Answers.Ok() : Answers.Reverify());
        var services = new ServiceCollection();
        services.AddSingleton(tokens);
        services.AddSingleton<IReverificationPrompt>(new FakePrompt { AutoAnswer = true, OnVerified = () => tokens.Token = "fresh" });
        services.AddTransient<TokenHandler>();
        services.AddHttpClient("api", c => c.BaseAddress = BaseAddress)
            .AddReverificationHandler()
            .AddHttpMessageHandler<TokenHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => inner);
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["stale", "fresh"], inner.Seen.Select(r => r.Headers.Authorization?.Parameter));
    }

    [Fact]
    public async Task AddReverificationHandler_WithOptionsAndPromptType_UsesThemForThisClient()
    {
        var inner = new FakeInnerHandler(_ => Answers.Reverify());
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = BaseAddress)
            .AddReverificationHandler(o => o.MaxReplayableContentBytes = 4)
            .ConfigurePrimaryHttpMessageHandler(() => inner);
        services.AddSingleton<IReverificationPrompt>(new FakePrompt { AutoAnswer = true });
        services.AddHttpClient("typed", c => c.BaseAddress = BaseAddress)
            .AddReverificationHandler<CountingPrompt>()
            .ConfigurePrimaryHttpMessageHandler(() => new FakeInnerHandler(_ => Answers.Reverify("lax")));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var client = factory.CreateClient("api");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("x", new ByteArrayContent(new byte[5])));

        using var typed = factory.CreateClient("typed");
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => typed.GetAsync("x"));
        Assert.Same(ReverificationChallenge.Lax, Assert.Single(provider.GetRequiredService<CountingPrompt>().Challenges));
    }

    [Fact]
    public void Constructor_LimitOutOfRange_ThrowsSayingWhatToUse()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationHandler(new FakePrompt(), new ReverificationHandlerOptions { MaxReplayableContentBytes = -1 }, null));
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationHandler(new FakePrompt(), new ReverificationHandlerOptions { MaxReplayableContentBytes = long.MaxValue }, null));
        Assert.Contains("MaxReplayableContentBytes", tooLarge.Message, StringComparison.Ordinal);
        _ = new ReverificationHandler(new FakePrompt(), new ReverificationHandlerOptions { MaxReplayableContentBytes = int.MaxValue }, null);
        Assert.Throws<ArgumentNullException>(() => new ReverificationHandler(null!));
    }

    private sealed class TokenStore
    {
        public string Token { get; set; } = string.Empty;
    }

    private sealed class TokenHandler(TokenStore tokens) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingPrompt : IReverificationPrompt
    {
        private readonly List<ReverificationChallenge> _challenges = [];

        public IReadOnlyList<ReverificationChallenge> Challenges => _challenges;

        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            _challenges.Add(challenge);
            return Task.FromResult(false);
        }
    }
}
