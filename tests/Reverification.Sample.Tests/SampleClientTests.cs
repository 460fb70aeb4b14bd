using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Reverification.Client;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Client.Components;
using Reverification.Sample.Client.Services;

namespace Reverification.Sample.Tests;

/// <summary>
/// The sample's UI in process, against a stub server: the API client's timeouts (the time the user spends in the
/// prompt never counts), and what the dashboard shows when a call gets no answer.
/// </summary>
public sealed class SampleClientTests
{
    private const string ReverificationNeeded = """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""";

    private static readonly Uri BaseAddress = new("https://sample.test/");

    /// <summary>Only against a hang: the wait ends as soon as the page shows the state (2 shared cores can be slow).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public void ApiClient_HttpClientTimeout_IsOffSoThePromptIsNotCut()
    {
        using var services = BuildServices(new FakeTimeProvider(), new StubServer((_, _) => new HttpResponseMessage(HttpStatusCode.OK)));

        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(SampleApi.ApiClient);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    [Fact]
    public async Task ApiClient_UserTakesTenMinutesInThePrompt_RetrySucceeds()
    {
        var clock = new FakeTimeProvider();
        var server = new StubServer((_, attempt) => attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent(ReverificationNeeded, Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
        using var services = BuildServices(clock, server, new SlowUserPrompt(clock, TimeSpan.FromMinutes(10)));
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(SampleApi.ApiClient);

        using var response = await client.PostAsJsonAsync("api/transfers", new TransferRequest("Carol", 5));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Attempts);
    }

    [Fact]
    public async Task ApiClient_ServerDoesNotAnswer_TimesOutAfterTheAttemptLimit()
    {
        var clock = new FakeTimeProvider();
        var server = new StubServer((_, _) => null); // never answers
        using var services = BuildServices(clock, server);
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(SampleApi.ApiClient);

        var call = client.GetAsync("api/account");
        await server.FirstRequest;
        clock.Advance(AttemptTimeoutHandler.Limit);

        var exception = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(exception.InnerException);
    }

    [Fact]
    public void Dashboard_TransferGetsNoAnswer_ShowsAMessageInsteadOfTheErrorBar()
    {
        using var bunit = new BunitContext();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddSampleClient(BaseAddress);
        var server = new StubServer((request, _) => request.RequestUri!.AbsolutePath switch
        {
            "/api/account" => new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(Account()) },
            "/reverify/methods" => new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new ReverifyMethods(["password", "authenticator"], 0, 60, 60)) },
            // What HttpClient throws when a call times out.
            _ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()),
        });
        bunit.Services.AddHttpClient(SampleApi.ApiClient).ConfigurePrimaryHttpMessageHandler(() => server);
        bunit.Services.AddHttpClient(SampleApi.AuthClient).ConfigurePrimaryHttpMessageHandler(() => server);

        var cut = bunit.Render<Dashboard>();
        cut.WaitForElement("#transfer-button", HangGuard);
        cut.Find("#transfer-button").Closest("form")!.Submit();

        cut.WaitForAssertion(() => Assert.Equal(Dashboard.NoAnswer, cut.Find("#transfer-status").TextContent), HangGuard);
        Assert.Null(cut.Find("#transfer-button").GetAttribute("disabled"));
    }

    [Theory]
    [InlineData(0, "0 min ago")]       // just verified
    [InlineData(59, "0 min ago")]      // still under a minute: rounded down, never up
    [InlineData(60, "1 min ago")]
    [InlineData(659, "10 min ago")]    // 10 min 59 s: past strict's 10 minutes, and it says 10, not 11
    public void DashboardAge_SecondsAgo_WholeMinutesRoundedDown(int seconds, string expected)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        Assert.Equal(expected, Dashboard.Age(now.AddSeconds(-seconds), now));
    }

    [Fact]
    public void DashboardAge_NeverOrRecordedAsUnverified_SaysSo()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        Assert.Equal("never", Dashboard.Age(null, now));
        Assert.Equal("not since sign-in", Dashboard.Age(DateTimeOffset.UnixEpoch, now));
    }

    private static ServiceProvider BuildServices(TimeProvider clock, StubServer server, IReverificationPrompt? prompt = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSampleClient(BaseAddress);
        services.AddHttpClient(SampleApi.ApiClient).ConfigurePrimaryHttpMessageHandler(() => server);
        if (prompt is not null)
        {
            services.AddSingleton(prompt);
        }

        return services.BuildServiceProvider();
    }

    private static AccountView Account() => new(
        DemoAccount.TotpEmail, "Alice", TwoFactorEnabled: true, Balance: 1000m, Transfers: [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    /// <summary>Answers with <c>respond</c> (given the request and its number); null waits until the request is cancelled.</summary>
    private sealed class StubServer(Func<HttpRequestMessage, int, HttpResponseMessage?> respond) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task FirstRequest => _firstRequest.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            _firstRequest.TrySetResult();

            // As a real server connection does: an attempt whose time ran out gets no answer.
            cancellationToken.ThrowIfCancellationRequested();
            if (respond(request, attempt) is { } response)
            {
                return response;
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("Unreachable.");
        }
    }

    /// <summary>A user who takes <c>thinking</c> to enter their code (on the app's clock), then verifies.</summary>
    private sealed class SlowUserPrompt(FakeTimeProvider clock, TimeSpan thinking) : IReverificationPrompt
    {
        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            clock.Advance(thinking);
            return Task.FromResult(true);
        }
    }
}
