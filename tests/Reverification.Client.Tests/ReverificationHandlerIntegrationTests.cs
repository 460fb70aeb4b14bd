using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Reverification.Client.Internal;
using Reverification.Client.Tests.Infrastructure;

namespace Reverification.Client.Tests;

/// <summary>
/// The handler against a real server: Reverification.AspNetCore behind JwtBearer on TestServer, real signed tokens.
/// </summary>
public sealed class ReverificationHandlerIntegrationTests
{
    [Fact]
    public async Task Get_FreshToken_SucceedsWithoutPrompt()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 1, secondFactorMinutesAgo: 1);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("transferred", await response.Content.ReadAsStringAsync());
        Assert.Empty(prompt.Challenges);
    }

    [Fact]
    public async Task Get_StaleToken_PromptsForStrictThenRetrySucceeds()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("transferred", await response.Content.ReadAsStringAsync());
        Assert.Same(ReverificationChallenge.Strict, Assert.Single(prompt.Challenges));
        Assert.Equal(1, server.Hits);
    }

    [Fact]
    public async Task Get_StrictMfaAndModerate_PromptGetsThatPreset()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 90, secondFactorMinutesAgo: 90);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var deleted = await client.GetAsync("delete");
        server.Token = server.CreateToken(firstFactorMinutesAgo: 90, secondFactorMinutesAgo: 90);
        using var profile = await client.GetAsync("profile");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal([ReverificationChallenge.StrictMfa, ReverificationChallenge.Moderate], prompt.Challenges);
    }

    [Fact]
    public async Task Get_CustomLevel_PromptGetsFactorsAndFractionalMinutes()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 3, secondFactorMinutesAgo: 3); // Older than 2.5 minutes.
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("custom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Null(challenge.LevelName);
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(2.5, challenge.MaxAgeMinutes);
    }

    [Fact]
    public async Task Get_UserCancels_ThrowsReverificationCancelledAndEndpointNeverRuns()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server, decide: _ => false);
        using var client = server.CreateClient(prompt);

        var exception = await Assert.ThrowsAsync<ReverificationCancelledException>(() => client.GetAsync("transfer"));

        Assert.Equal(ReverificationCancelledException.ErrorCode, exception.Code);
        Assert.Same(ReverificationChallenge.Strict, exception.Challenge);
        Assert.Equal(0, server.Hits);
    }

    [Fact]
    public async Task Post_StaleToken_BodyArrivesIntactOnRetry()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.PostAsync("echo", new StringContent("""{"amount":125.5,"to":"Ünïcødé ✓"}""", Encoding.UTF8, "application/json"));
        using var json = await client.PostAsJsonAsync("echo", new { amount = 7, to = "bob" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""application/json; charset=utf-8|{"amount":125.5,"to":"Ünïcødé ✓"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""application/json; charset=utf-8|{"amount":7,"to":"bob"}""", await json.Content.ReadAsStringAsync());
        Assert.Single(prompt.Challenges); // The second post carried the fresh token.
        Assert.Equal(2, server.Hits);
    }

    [Fact]
    public async Task Post_FormBody_ArrivesIntactOnRetry()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        using var client = server.CreateClient(new TokenSwappingPrompt(server));

        using var response = await client.PostAsync("echo", new FormUrlEncodedContent([new("amount", "10"), new("to", "a&b")]));

        Assert.Equal("application/x-www-form-urlencoded|amount=10&to=a%26b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PromptDoesNotRefreshToken_RetryAnswerReturnedWithoutLoop()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new NoOpPrompt();
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Same(ReverificationChallenge.Strict, await ReverificationChallenge.FromResponseAsync(response));
        Assert.Equal(1, prompt.Calls);
        Assert.Equal(0, server.Hits);
    }

    [Fact]
    public async Task Get_ConcurrentStaleRequests_OnePromptAndAllSucceed()
    {
        await using var server = await ApiServer.StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var client = server.CreateClient(prompt);

        var requests = new[] { client.GetAsync("transfer"), client.GetAsync("transfer"), client.PostAsync("echo", new StringContent("x")) };
        var coordinator = PromptCoordinator.For(prompt);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (coordinator.WaiterCount < requests.Length)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        prompt.Gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(prompt.Challenges);
        Assert.Equal(3, server.Hits);
    }

    [Fact]
    public async Task Get_ServerSendsOnlyRfc9470Challenge_RecognisedFromHeader()
    {
        await using var server = await ApiServer.StartAsync(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status401Unauthorized;
            o.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "text/plain";
                return new ValueTask(context.HttpContext.Response.WriteAsync("step up", Encoding.UTF8, cancellationToken));
            };
        });
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("delete");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors); // The header names no factors.
        Assert.Equal(10, challenge.MaxAgeMinutes);
    }

    [Theory]
    [InlineData(true, 2.5)] // The level comes from the RFC 9470 header's max_age (150 seconds for the custom level).
    [InlineData(false, 10.0)] // No header: the default, the second factor within 10 minutes.
    public async Task Get_ServerSendsClerkHelperAnswerWithoutLevel_RecognisedFromTextPlainBody(bool header, double minutes)
    {
        // What Clerk's reverificationErrorResponse() sends: JSON as text/plain, "metadata":{} when no level is given.
        await using var server = await ApiServer.StartAsync(o =>
        {
            o.IncludeChallengeHeader = header;
            o.OnRejected = (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "text/plain;charset=UTF-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync(
                    """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}""", Encoding.UTF8, cancellationToken));
            };
        });
        server.Token = server.CreateToken(firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("custom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(minutes, challenge.MaxAgeMinutes);
        if (!header)
        {
            Assert.Same(ReverificationChallenge.Default, challenge);
        }
    }

    [Fact]
    public async Task Get_Anonymous_Normal401PassesThroughWithoutPrompt()
    {
        await using var server = await ApiServer.StartAsync();
        var prompt = new TokenSwappingPrompt(server);
        using var client = server.CreateClient(prompt);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(prompt.Challenges);
    }

    private sealed class NoOpPrompt : IReverificationPrompt
    {
        public int Calls { get; private set; }

        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(true);
        }
    }
}
