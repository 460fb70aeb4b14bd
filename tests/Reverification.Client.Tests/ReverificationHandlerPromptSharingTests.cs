using System.Net;
using Reverification.Client.Internal;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>Single flight: concurrent requests share one prompt, and requests that need more factors get a follow-up prompt.</summary>
public sealed class ReverificationHandlerPromptSharingTests
{
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
}
