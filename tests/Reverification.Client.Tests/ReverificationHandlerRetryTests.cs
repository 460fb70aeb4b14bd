using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>Prompt, then retry once: cancel, a refused retry, a failing prompt, and who owns (and disposes) which answer.</summary>
public sealed class ReverificationHandlerRetryTests
{
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

    [Fact]
    public async Task SendAsync_Retry_HandlersBelowSeeTheRequestAsTheyLeftIt()
    {
        // The retry sends the caller's own request again, through the handlers below once more (as a Polly or
        // Microsoft.Extensions.Http.Resilience retry does): a header one of them set is replaced, one it added is added
        // again unless that handler is idempotent.
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        var attempt = 0;
        var below = new CallbackHandler(request =>
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "token-" + ++attempt);
            request.Headers.Add("X-Added", "a");
        })
        { InnerHandler = api.Handler };
        using var client = CreateClient(prompt, below);

        using var response = await client.GetAsync("transfer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["token-1", "token-2"], api.Handler.Seen.Select(r => r.Headers.Authorization?.Parameter));
        Assert.Equal(["a"], api.Handler.Seen[0].Headers.GetValues("X-Added"));
        Assert.Equal(["a", "a"], api.Handler.Seen[1].Headers.GetValues("X-Added"));
    }

    private sealed class CallbackHandler(Action<HttpRequestMessage> onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
