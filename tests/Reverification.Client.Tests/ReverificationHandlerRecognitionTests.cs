using System.Net;
using System.Net.Http.Headers;
using Reverification.Client.Internal;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>The handler's recognition of the answer: which answers prompt, with which challenge, and which pass through untouched.</summary>
public sealed class ReverificationHandlerRecognitionTests
{
    [Fact]
    public async Task SendAsync_OrdinaryAnswer_PassesThroughWithoutPrompt()
    {
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Ok("hello"));
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """{"error":"forbidden"}""", "application/json")]
    [InlineData(HttpStatusCode.Unauthorized, """{"clerk_error":{"type":"unauthorized","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", "application/json")]
    [InlineData(HttpStatusCode.BadRequest, """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", "application/json")]
    [InlineData(HttpStatusCode.Forbidden, """{"clerk_error":{"type":"forbidden","reason":"other","metadata":{"reverification":"strict"}}}""", "text/plain")]
    [InlineData(HttpStatusCode.Forbidden, "<html><body>Forbidden</body></html>", "text/html")]
    [InlineData(HttpStatusCode.Forbidden, "{not json", "application/json")]
    [InlineData(HttpStatusCode.Forbidden, "", "application/json")]
    public async Task SendAsync_AnswerThatIsNotTheContract_ReturnedUntouchedAndReadable(HttpStatusCode status, string body, string mediaType)
    {
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Json(status, body, mediaType));
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("data");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", "text/plain", "strict")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}""", "text/plain", null)] // Clerk's reverificationErrorResponse().
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"Strict"}}}""", "application/json", null)]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error"}}""", "application/json", null)]
    public async Task SendAsync_ClerkAnswerOfAnyContentTypeOrLevel_PromptsAndRetries(string body, string mediaType, string? level)
    {
        var api = new StepUpApi(() => Answers.Json(HttpStatusCode.Forbidden, body, mediaType));
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Same(level is null ? ReverificationChallenge.Default : ReverificationChallenge.Strict, challenge);
    }

    [Fact]
    public async Task SendAsync_AnswerWithoutLevelAndHeaderRecognitionOff_PromptsForDefault()
    {
        var api = new StepUpApi(() =>
        {
            var response = Answers.Json(HttpStatusCode.Forbidden, """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}""", "text/plain");
            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=60"));
            return response;
        });
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler, new ReverificationHandlerOptions { RecognizeChallengeHeader = false });

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(ReverificationChallenge.Default, Assert.Single(prompt.Challenges));
    }

    [Fact]
    public async Task SendAsync_LargeChunkedForbiddenBody_ReturnedWholeWithoutBufferingIt()
    {
        var bytes = Enumerable.Range(0, 2 * 1024 * 1024).Select(i => (byte)('a' + (i % 26))).ToArray();
        var stream = new NonSeekableStream(bytes);
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StreamContent(stream) });
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("report", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(stream.BytesRead <= ChallengeParser.MaxInspectedBodyBytes + 1, $"{stream.BytesRead} bytes read before the caller read the body.");
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, prompt.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "error=\"insufficient_user_authentication\", error_description=\"A more recent authentication is required.\", max_age=600", 10)]
    [InlineData(HttpStatusCode.Forbidden, "error=\"insufficient_user_authentication\", max_age=\"150\"", 2.5)]
    public async Task SendAsync_ChallengeHeaderWithoutBody_PromptsAtMaxAge(HttpStatusCode status, string parameters, double minutes)
    {
        var fresh = false;
        var inner = new FakeInnerHandler(_ => fresh ? Answers.Ok() : Answers.Challenge(status, parameters));
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => fresh = true };
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(minutes, challenge.MaxAgeMinutes);
        Assert.Null(challenge.LevelName);
    }

    [Fact]
    public async Task SendAsync_ChallengeHeaderWithPlainTextBody_Recognised()
    {
        var fresh = false;
        var inner = new FakeInnerHandler(_ => fresh ? Answers.Ok()
            : Answers.Challenge(HttpStatusCode.Forbidden, "error=\"insufficient_user_authentication\", max_age=60", new StringContent("step up")));
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => fresh = true };
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Assert.Single(prompt.Challenges).MaxAgeMinutes);
    }

    [Fact]
    public async Task SendAsync_BodyAndHeader_BodyWins()
    {
        var fresh = false;
        var inner = new FakeInnerHandler(_ =>
        {
            if (fresh)
            {
                return Answers.Ok();
            }

            var response = Answers.Reverify("strict_mfa");
            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=60"));
            return response;
        });
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => fresh = true };
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("delete");

        Assert.Same(ReverificationChallenge.StrictMfa, Assert.Single(prompt.Challenges));
    }

    [Fact]
    public async Task SendAsync_HeaderRecognitionOff_ChallengeHeaderPassesThrough()
    {
        var inner = new FakeInnerHandler(_ => Answers.Challenge(HttpStatusCode.Unauthorized, "error=\"insufficient_user_authentication\", max_age=600"));
        var prompt = new FakePrompt { AutoAnswer = true };
        using var client = CreateClient(prompt, inner, new ReverificationHandlerOptions { RecognizeChallengeHeader = false });

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, prompt.Calls);
    }

    [Fact]
    public async Task SendAsync_CustomLevel_PromptGetsFactorsAndFractionalMinutes()
    {
        var api = new StepUpApi(() => Answers.ReverifyCustom("first_factor", "2.5"));
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.GetAsync("profile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Equal(new ReverificationChallenge(ReverificationFactors.FirstFactor, 2.5), challenge);
    }

    [Theory]
    [InlineData("1e300", null)]
    [InlineData(null, "9223372036854775807")]
    public async Task SendAsync_HostileMaxAge_PromptGetsTheLongestAllowedAndRetrySucceeds(string? afterMinutes, string? maxAgeSeconds)
    {
        var fresh = false;
        var inner = new FakeInnerHandler(_ => fresh ? Answers.Ok()
            : afterMinutes is not null ? Answers.ReverifyCustom("multi_factor", afterMinutes)
            : Answers.Challenge(HttpStatusCode.Forbidden, $"error=\"insufficient_user_authentication\", max_age={maxAgeSeconds}"));
        var maxAges = new List<TimeSpan>();
        var prompt = new QueuedPrompt { OnVerified = challenge => fresh = true };
        using var client = CreateClient(prompt, inner);

        var sending = client.GetAsync("transfer");
        var call = await prompt.NextCallAsync();
        maxAges.Add(call.Challenge.MaxAge); // What a prompt shows: it must not throw.
        call.Answer(true);
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([TimeSpan.FromDays(366)], maxAges);
    }
}
