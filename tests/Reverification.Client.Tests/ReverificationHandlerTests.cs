using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.Client.Internal;
using Reverification.Client.Tests.Infrastructure;

namespace Reverification.Client.Tests;

public sealed class ReverificationHandlerTests
{
    private static readonly Uri BaseAddress = new("https://api.test/");

    private static HttpClient CreateClient(IReverificationPrompt prompt, HttpMessageHandler inner, ReverificationHandlerOptions? options = null)
        => new(new ReverificationHandler(prompt, options, logger: null) { InnerHandler = inner }) { BaseAddress = BaseAddress };

    /// <summary>An API that needs reverification until <see cref="Fresh"/> is set, as after the user reverified.</summary>
    private sealed class StepUpApi
    {
        public volatile bool Fresh;

        public FakeInnerHandler Handler { get; }

        public StepUpApi(Func<HttpResponseMessage>? denied = null)
            => Handler = new FakeInnerHandler(_ => Fresh ? Answers.Ok() : (denied ?? (() => Answers.Reverify()))());
    }

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

    [Fact]
    public async Task SendAsync_ReverificationRequired_PromptsOnceAndRetries()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, prompt.Calls);
        Assert.Same(ReverificationChallenge.Strict, Assert.Single(prompt.Challenges));
        Assert.Equal(2, api.Handler.Calls);
        Assert.All(api.Handler.Seen, r => Assert.Equal(new Uri(BaseAddress, "transfer"), r.Uri));
    }

    [Fact]
    public async Task SendAsync_UserCancels_ThrowsReverificationCancelledAndDoesNotRetry()
    {
        var api = new StepUpApi(() => Answers.Reverify("strict_mfa"));
        var prompt = new FakePrompt { AutoAnswer = false };
        using var client = CreateClient(prompt, api.Handler);

        var exception = await Assert.ThrowsAsync<ReverificationCancelledException>(() => client.GetAsync("delete"));

        Assert.Equal("reverification_cancelled", exception.Code);
        Assert.Same(ReverificationChallenge.StrictMfa, exception.Challenge);
        Assert.Equal(1, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_RetryStillRequiresReverification_ReturnsThatAnswerWithoutLooping()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true }; // "Verifies" but never makes the credentials fresh.
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(ReverificationChallenge.TryParse(await response.Content.ReadAsStringAsync(), out var challenge));
        Assert.Same(ReverificationChallenge.Strict, challenge);
        Assert.Equal(1, prompt.Calls);
        Assert.Equal(2, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_ConcurrentRequests_ShareOnePromptAndEachRetries()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        var requests = Enumerable.Range(0, 3).Select(i => client.GetAsync($"transfer/{i}")).ToArray();
        await WaitForWaitersAsync(prompt, 3);
        prompt.Answer(true);
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, prompt.Calls);
        Assert.Equal(6, api.Handler.Calls);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(2, api.Handler.Seen.Count(r => r.Uri!.AbsolutePath == $"/transfer/{i}"));
        }
    }

    [Fact]
    public async Task SendAsync_ConcurrentRequestsAndCancel_EveryCallerGetsCancelled()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt();
        using var client = CreateClient(prompt, api.Handler);

        var requests = Enumerable.Range(0, 3).Select(i => client.GetAsync($"transfer/{i}")).ToArray();
        await WaitForWaitersAsync(prompt, 3);
        prompt.Answer(false);

        foreach (var request in requests)
        {
            await Assert.ThrowsAsync<ReverificationCancelledException>(() => request);
        }

        Assert.Equal(1, prompt.Calls);
        Assert.Equal(3, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWhilePromptOpen_OnlyThatCallerIsCancelled()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        using var leaving = new CancellationTokenSource();

        var leaver = client.GetAsync("a", leaving.Token);
        var stayer = client.GetAsync("b");
        await WaitForWaitersAsync(prompt, 2);
        leaving.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaver);
        Assert.False(prompt.LastToken.IsCancellationRequested);
        prompt.Answer(true);
        using var response = await stayer;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, prompt.Calls);
    }

    [Fact]
    public async Task SendAsync_LastCallerCancels_PromptTokenIsCancelledAndNextRequestPromptsAgain()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        using var leaving = new CancellationTokenSource();

        var leaver = client.GetAsync("a", leaving.Token);
        await prompt.Called;
        var firstToken = prompt.LastToken;
        leaving.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaver);
        Assert.True(firstToken.IsCancellationRequested);

        var next = client.GetAsync("b");
        await prompt.Called;
        prompt.Answer(true);
        using var response = await next;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, prompt.Calls);
    }

    public static TheoryData<Exception> PromptFailures => new()
    {
        new InvalidOperationException("no dialog"),

        // The prompt's own work was cancelled (say its HTTP call timed out); nobody asked it to stop, so this is its
        // failure, not the user cancelling.
        new TaskCanceledException("the verification service did not answer"),
    };

    [Theory]
    [MemberData(nameof(PromptFailures))]
    public async Task SendAsync_PromptThrows_CallerGetsThatException(Exception failure)
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { Throw = failure };
        using var client = CreateClient(prompt, api.Handler);

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("transfer"));

        Assert.Same(failure, exception);
        Assert.Equal(1, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_AnswerArrivesAfterAnotherRequestReverified_RetriesWithoutSecondPrompt()
    {
        var fresh = false;
        var slowAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeInnerHandler(async (request, _) =>
        {
            var wasFresh = Volatile.Read(ref fresh);
            if (request.RequestUri!.AbsolutePath == "/slow" && !wasFresh)
            {
                // Sent with the stale credentials; answered after the other request's reverification.
                slowSent.TrySetResult();
                await slowAnswer.Task;
            }

            return wasFresh ? Answers.Ok() : Answers.Reverify();
        });
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => Volatile.Write(ref fresh, true) };
        using var client = CreateClient(prompt, inner);

        var slow = client.GetAsync("slow");
        await slowSent.Task;
        using (var fast = await client.GetAsync("fast"))
        {
            Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        }

        slowAnswer.SetResult();
        using var response = await slow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, prompt.Calls);
        Assert.Equal(4, inner.Calls);
    }

    /// <summary>
    /// An API with a <c>strict</c> endpoint (<c>/strict</c>) and a <c>strict_mfa</c> one (<c>/mfa</c>); a
    /// reverification makes the credentials fresh for what it verified.
    /// </summary>
    private sealed class TwoLevelApi
    {
        private volatile bool _secondFactorFresh;
        private volatile bool _bothFresh;

        public TwoLevelApi(Func<HttpRequestMessage, Task>? beforeAnswer = null)
            => Handler = new FakeInnerHandler(async (request, _) =>
            {
                // The credentials the request carries are those of the moment it reaches the server.
                var secondFactorFresh = _secondFactorFresh || _bothFresh;
                var bothFresh = _bothFresh;
                if (beforeAnswer is not null)
                {
                    await beforeAnswer(request);
                }

                return request.RequestUri!.AbsolutePath switch
                {
                    "/strict" => secondFactorFresh ? Answers.Ok() : Answers.Reverify("strict"),
                    _ => bothFresh ? Answers.Ok() : Answers.Reverify("strict_mfa"),
                };
            });

        public FakeInnerHandler Handler { get; }

        public void Verified(ReverificationChallenge challenge)
        {
            if (challenge.Factors == ReverificationFactors.MultiFactor)
            {
                _bothFresh = true;
            }
            else if (challenge.Factors == ReverificationFactors.SecondFactor)
            {
                _secondFactorFresh = true;
            }
        }
    }

    [Fact]
    public async Task SendAsync_ConcurrentStrictAndStrictMfa_TwoPromptsAndBothRetriedWithSuccess()
    {
        var api = new TwoLevelApi();
        var prompt = new QueuedPrompt();
        prompt.OnVerified = api.Verified;
        using var client = CreateClient(prompt, api.Handler);

        var strict = client.GetAsync("strict");
        var first = await prompt.NextCallAsync();
        Assert.Same(ReverificationChallenge.Strict, first.Challenge);
        var mfa = client.GetAsync("mfa");
        await WaitUntilAsync(() => PromptCoordinator.For(prompt).QueuedCount == 1); // It does not join the strict prompt.
        Assert.Equal(1, PromptCoordinator.For(prompt).WaiterCount);

        first.Answer(true);
        var nextCall = prompt.NextCallAsync();
        Assert.Same(nextCall, await Task.WhenAny(nextCall, mfa)); // A follow-up prompt, not a retry without one.
        var second = await nextCall;
        Assert.Same(ReverificationChallenge.StrictMfa, second.Challenge);
        using (var strictResponse = await strict)
        {
            Assert.Equal(HttpStatusCode.OK, strictResponse.StatusCode);
        }

        second.Answer(true);
        using var mfaResponse = await mfa;

        Assert.Equal(HttpStatusCode.OK, mfaResponse.StatusCode);
        Assert.Equal(2, prompt.Count);
        Assert.Equal(4, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_StrictRequestWhileStrictMfaPromptOpen_JoinsIt()
    {
        var api = new TwoLevelApi();
        var prompt = new QueuedPrompt();
        prompt.OnVerified = api.Verified;
        using var client = CreateClient(prompt, api.Handler);

        var mfa = client.GetAsync("mfa");
        var call = await prompt.NextCallAsync();
        var strict = client.GetAsync("strict");
        await WaitForWaitersAsync(prompt, 2);
        call.Answer(true);
        using var mfaResponse = await mfa;
        using var strictResponse = await strict;

        Assert.Equal(HttpStatusCode.OK, mfaResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, strictResponse.StatusCode);
        Assert.Same(ReverificationChallenge.StrictMfa, call.Challenge);
        Assert.Equal(1, prompt.Count);
    }

    [Fact]
    public async Task SendAsync_AnswerArrivesAfterWeakerReverificationSucceeded_PromptsForItsOwnLevel()
    {
        var slowAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mfaCalls = 0;
        var api = new TwoLevelApi(async request =>
        {
            if (request.RequestUri!.AbsolutePath == "/mfa" && Interlocked.Increment(ref mfaCalls) == 1)
            {
                // Sent with the stale credentials; answered after the strict request's reverification.
                slowSent.TrySetResult();
                await slowAnswer.Task;
            }
        });
        var prompt = new QueuedPrompt();
        prompt.OnVerified = api.Verified;
        using var client = CreateClient(prompt, api.Handler);

        var slow = client.GetAsync("mfa");
        await slowSent.Task;
        var fast = client.GetAsync("strict");
        (await prompt.NextCallAsync()).Answer(true);
        using (var fastResponse = await fast)
        {
            Assert.Equal(HttpStatusCode.OK, fastResponse.StatusCode);
        }

        slowAnswer.SetResult();
        var nextCall = prompt.NextCallAsync();
        Assert.Same(nextCall, await Task.WhenAny(nextCall, slow)); // The strict reverification does not cover strict_mfa.
        var second = await nextCall;
        Assert.Same(ReverificationChallenge.StrictMfa, second.Challenge);
        second.Answer(true);
        using var response = await slow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, prompt.Count);
    }

    [Fact]
    public async Task SendAsync_UserCancelsPromptAQueuedRequestWaitedFor_QueuedRequestGetsItsOwnPrompt()
    {
        var api = new TwoLevelApi();
        var prompt = new QueuedPrompt();
        prompt.OnVerified = api.Verified;
        using var client = CreateClient(prompt, api.Handler);

        var strict = client.GetAsync("strict");
        var first = await prompt.NextCallAsync();
        var mfa = client.GetAsync("mfa");
        await WaitUntilAsync(() => PromptCoordinator.For(prompt).QueuedCount == 1);
        first.Answer(false);

        await Assert.ThrowsAsync<ReverificationCancelledException>(() => strict);
        var second = await prompt.NextCallAsync();
        Assert.Same(ReverificationChallenge.StrictMfa, second.Challenge);
        second.Answer(true);
        using var response = await mfa;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_QueuedCallerCancels_LeavesQueueWithoutTouchingOpenPrompt()
    {
        var api = new TwoLevelApi();
        var prompt = new QueuedPrompt();
        prompt.OnVerified = api.Verified;
        using var client = CreateClient(prompt, api.Handler);
        using var leaving = new CancellationTokenSource();
        var coordinator = PromptCoordinator.For(prompt);

        var strict = client.GetAsync("strict");
        var first = await prompt.NextCallAsync();
        var mfa = client.GetAsync("mfa", leaving.Token);
        await WaitUntilAsync(() => coordinator.QueuedCount == 1);
        leaving.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mfa);
        Assert.Equal(0, coordinator.QueuedCount);
        Assert.False(first.Token.IsCancellationRequested);
        first.Answer(true);
        using var response = await strict;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, prompt.Count);
    }

    [Fact]
    public async Task SendAsync_PostWithStringBody_ReplaysBodyHeadersAndOptions()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var key = new HttpRequestOptionsKey<string>("trace");
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer")
        {
            Content = new StringContent("""{"amount":42}""", Encoding.UTF8, "application/json"),
            Version = HttpVersion.Version20,
        };
        request.Headers.Add("X-Request-Id", "r-1");
        request.Options.Set(key, "t-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        var retry = api.Handler.Seen[1];
        Assert.Equal(HttpMethod.Post, retry.Method);
        Assert.Equal("""{"amount":42}""", Encoding.UTF8.GetString(retry.Body!));
        Assert.Equal("application/json; charset=utf-8", retry.ContentType);
        Assert.Equal("r-1", Assert.Single(retry.Headers.GetValues("X-Request-Id")));
        Assert.True(retry.Options.TryGetValue(key, out var trace));
        Assert.Equal("t-1", trace);
        Assert.Equal(HttpVersion.Version20, retry.Version);
        Assert.Equal(api.Handler.Seen[0].Body, retry.Body);
    }

    [Fact]
    public async Task SendAsync_PostWithJsonContent_ReplaysSerializedBody()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.PostAsJsonAsync("transfer", new { amount = 42, to = "bob" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal("""{"amount":42,"to":"bob"}""", Encoding.UTF8.GetString(api.Handler.Seen[1].Body!));
        Assert.StartsWith("application/json", api.Handler.Seen[1].ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BodyFromSeekableStream_IsReplayed()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        using var response = await client.PostAsync("upload", new StreamContent(new MemoryStream(bytes)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, api.Handler.Seen[1].Body);
    }

    [Fact]
    public async Task SendAsync_NonSeekableStreamBody_ClearErrorWithoutPromptAndFirstSendIntact()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var bytes = Encoding.UTF8.GetBytes("a large upload");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.PostAsync("upload", new StreamContent(new NonSeekableStream(bytes))));

        Assert.Contains("cannot be sent again", exception.Message, StringComparison.Ordinal);
        Assert.Contains("strict", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(bytes, Assert.Single(api.Handler.Seen).Body);
    }

    [Fact]
    public async Task SendAsync_BodyLargerThanLimit_ClearErrorWithoutPrompt()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler, new ReverificationHandlerOptions { MaxReplayableContentBytes = 1024 });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("upload", new ByteArrayContent(new byte[2048])));

        Assert.Contains("MaxReplayableContentBytes", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(2048, Assert.Single(api.Handler.Seen).Body!.Length);
    }

    [Fact]
    public async Task SendAsync_BodyOfUnknownLengthOverLimit_SentOnceThenClearError()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler, new ReverificationHandlerOptions { MaxReplayableContentBytes = 16 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsJsonAsync("transfer", new { note = new string('x', 100) }));

        Assert.Equal(0, prompt.Calls);
        Assert.Contains("xxxxxxxx", Encoding.UTF8.GetString(Assert.Single(api.Handler.Seen).Body!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LargeBodyThatNeedsNoReverification_PassesThrough()
    {
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Ok());
        using var client = CreateClient(prompt, inner, new ReverificationHandlerOptions { MaxReplayableContentBytes = 16 });
        var bytes = new byte[100];

        using var response = await client.PostAsync("upload", new StreamContent(new NonSeekableStream(bytes)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, Assert.Single(inner.Seen).Body!.Length);
    }

    [Fact]
    public async Task SendAsync_MultipartOverNonSeekableStreamLargerThanLimit_PassesThroughUntouched()
    {
        // IBrowserFile.OpenReadStream in a MultipartFormDataContent: a one-shot stream of unknown length, over 1 MiB.
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Ok());
        using var client = CreateClient(prompt, inner);
        var file = Enumerable.Range(0, (int)ReverificationHandlerOptions.DefaultMaxReplayableContentBytes + 512 * 1024).Select(i => (byte)(i % 251)).ToArray();
        using var form = new MultipartFormDataContent { { new StringContent("holiday"), "title" }, { new StreamContent(new NonSeekableStream(file)), "file", "photo.jpg" } };

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Assert.Single(inner.Seen).Body!;
        Assert.True(body.AsSpan().IndexOf(file) >= 0, "The file did not arrive whole.");
        Assert.Equal(0, prompt.Calls);
    }

    [Fact]
    public async Task SendAsync_MultipartOverNonSeekableStreamNeedsReverification_ClearErrorWithoutPromptAndFirstSendIntact()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var file = Encoding.UTF8.GetBytes("a small upload, but from a stream that can be read once");
        using var form = new MultipartFormDataContent { { new StreamContent(new NonSeekableStream(file)), "file", "notes.txt" } };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("upload", form));

        Assert.Contains("cannot be sent again", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MultipartFormDataContent", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.True(Assert.Single(api.Handler.Seen).Body.AsSpan().IndexOf(file) >= 0);
    }

    [Fact]
    public async Task SendAsync_MultipartOfReplayablePartsOfUnknownLength_ReplayedOnRetry()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("holiday"), "title" },
            { JsonContent.Create(new { amount = 42 }), "meta" }, // Unknown length: the multipart's length is unknown too.
            { new MultipartContent("mixed") { new ByteArrayContent([1, 2, 3]), new ReadOnlyMemoryContent(new byte[] { 4, 5 }) } },
        };
        Assert.Null(form.Headers.ContentLength);

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
        Assert.Contains("{\"amount\":42}", Encoding.UTF8.GetString(api.Handler.Seen[1].Body!), StringComparison.Ordinal);
        Assert.Equal(api.Handler.Seen[0].ContentType, api.Handler.Seen[1].ContentType);
    }

    [Fact]
    public async Task SendAsync_MultipartWithSeekableStreamPart_ReplayedOnRetry()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        byte[] file = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        using var form = new MultipartFormDataContent { { new StringContent("holiday"), "title" }, { new StreamContent(new MemoryStream(file)), "file", "a.bin" } };

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
        Assert.True(api.Handler.Seen[1].Body.AsSpan().IndexOf(file) >= 0);
    }

    [Theory]
    [InlineData(true)] // The contract's body.
    [InlineData(false)] // The RFC 9470 header and no body.
    public async Task SendAsync_RecognisedAnswer_DisposedBeforeThePromptOpens(bool body)
    {
        var answer = new TrackingContent(body ? Encoding.UTF8.GetBytes(Answers.StrictBody) : []); // Known length: buffered in place.
        var fresh = false;
        var inner = new FakeInnerHandler(_ => fresh ? Answers.Ok()
            : body ? new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = answer }
            : Answers.Challenge(HttpStatusCode.Unauthorized, "error=\"insufficient_user_authentication\", max_age=600", answer));
        bool? disposedWhenPrompted = null;
        var prompt = new FakePrompt
        {
            AutoAnswer = true,
            OnVerified = () =>
            {
                disposedWhenPrompted = answer.Disposed;
                fresh = true;
            },
        };
        using var client = CreateClient(prompt, inner);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(disposedWhenPrompted);
    }

    [Fact]
    public async Task SendAsync_NotReplayableAnswer_DisposedBeforeTheError()
    {
        var answer = new TrackingContent(Encoding.UTF8.GetBytes(Answers.StrictBody));
        var inner = new FakeInnerHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = answer });
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, inner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("upload", new StreamContent(new NonSeekableStream([1, 2, 3]))));

        Assert.True(answer.Disposed);
    }

    [Fact]
    public async Task SendAsync_RetriedBody_CallerContentNeverDisposedAndRetryCarriesACopy()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var body = new TrackingContent(Encoding.UTF8.GetBytes("amount=42"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer") { Content = body };

        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotSame(request, response.RequestMessage);
            Assert.NotSame(body, response.RequestMessage!.Content);
            Assert.Equal("amount=42", await response.RequestMessage.Content!.ReadAsStringAsync());
        }

        Assert.False(body.Disposed);
        Assert.Equal("amount=42", await body.ReadAsStringAsync()); // Still the caller's to use.
        Assert.Equal(2, api.Handler.Calls);
    }

    [Fact]
    public async Task SendAsync_RetryFails_RetryRequestDisposedButNotCallerContent()
    {
        HttpRequestMessage? retry = null;
        var inner = new FakeInnerHandler((request, call) =>
        {
            if (call == 1)
            {
                return Task.FromResult(Answers.Reverify());
            }

            retry = request;
            throw new HttpRequestException("connection reset");
        });
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, inner);
        var body = new TrackingContent(Encoding.UTF8.GetBytes("amount=42"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("transfer", body));

        Assert.NotNull(retry);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => retry.Content!.ReadAsStringAsync());
        Assert.False(body.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_RetryAnswer_IsTheCallersToRead_WhateverTheLogLevel(bool logging)
    {
        var retryAnswer = new TrackingContent([], knownLength: false, failOnRead: new IOException("connection reset"));
        var inner = new FakeInnerHandler((_, call) => Task.FromResult(call == 1
            ? Answers.Reverify()
            : new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = retryAnswer }));
        var logger = new FakeLogger<ReverificationHandler>();
        logger.ControlLevel(LogLevel.Warning, logging);
        using var client = new HttpClient(new ReverificationHandler(new FakePrompt { AutoAnswer = true }, null, logger) { InnerHandler = inner }) { BaseAddress = BaseAddress };

        using var response = await client.GetAsync("transfer", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(retryAnswer.Disposed);
        var read = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsStringAsync());
        Assert.IsType<IOException>(read.InnerException);
        Assert.Equal(logging ? 1 : 0, logger.Collector.GetSnapshot().Count(static r => r.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task SendAsync_ReadingFirstAnswerFails_AnswerDisposed()
    {
        var answer = new TrackingContent([], knownLength: false, failOnRead: new IOException("connection reset"));
        var inner = new FakeInnerHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = answer });
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, inner);

        await Assert.ThrowsAsync<IOException>(() => client.GetAsync("transfer"));

        Assert.True(answer.Disposed);
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

    private static Task WaitForWaitersAsync(IReverificationPrompt prompt, int count)
        => WaitUntilAsync(() => PromptCoordinator.For(prompt).WaiterCount >= count);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
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
