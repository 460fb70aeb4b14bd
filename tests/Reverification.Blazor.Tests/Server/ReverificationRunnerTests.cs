using Reverification.Blazor.Server;
using Reverification.Client;

namespace Reverification.Blazor.Tests.Server;

/// <summary><c>Reverify.RunAsync(action)</c>: prompts and runs the action once more; never loops; cancel is typed.</summary>
public sealed class ReverificationRunnerTests
{
    private sealed class Prompt(bool answer) : IReverificationPrompt
    {
        public List<ReverificationChallenge> Asked { get; } = [];

        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            Asked.Add(challenge);
            return Task.FromResult(answer);
        }
    }

    private static ReverificationRunner Runner(IReverificationPrompt prompt) => new(prompt);

    [Fact]
    public async Task RunAsync_NoReverificationNeeded_PassesThroughWithoutPrompt()
    {
        var prompt = new Prompt(answer: true);

        var result = await Runner(prompt).RunAsync(() => Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Empty(prompt.Asked);
    }

    [Fact]
    public async Task RunAsync_Required_PromptsForTheChallengeAndRunsOnceMore()
    {
        var prompt = new Prompt(answer: true);
        var calls = 0;

        var result = await Runner(prompt).RunAsync(() => ++calls == 1
            ? throw new ReverificationRequiredException(ReverificationChallenge.StrictMfa)
            : Task.FromResult("done"));

        Assert.Equal("done", result);
        Assert.Equal(2, calls);
        Assert.Equal([ReverificationChallenge.StrictMfa], prompt.Asked);
    }

    [Fact]
    public async Task RunAsync_RequiredAgainAfterThePrompt_TheSecondRefusalReachesTheCallerNoLoop()
    {
        var prompt = new Prompt(answer: true);
        var calls = 0;
        ReverificationRequiredException? second = null;

        var thrown = await Assert.ThrowsAsync<ReverificationRequiredException>(() => Runner(prompt).RunAsync(() =>
        {
            calls++;
            var e = new ReverificationRequiredException(ReverificationChallenge.Strict);
            second = e;
            throw e;
        }));

        Assert.Same(second, thrown);
        Assert.Equal(2, calls);
        Assert.Single(prompt.Asked);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReverificationCancelledExceptionAndNoRetry()
    {
        var prompt = new Prompt(answer: false);
        var calls = 0;

        var e = await Assert.ThrowsAsync<ReverificationCancelledException>(() => Runner(prompt).RunAsync(() =>
        {
            calls++;
            throw new ReverificationRequiredException(ReverificationChallenge.Strict);
        }));

        Assert.Equal(ReverificationChallenge.Strict, e.Challenge);
        Assert.Equal("reverification_cancelled", e.Code);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RunAsync_OtherException_NotCaught()
    {
        var prompt = new Prompt(answer: true);

        await Assert.ThrowsAsync<TimeoutException>(() => Runner(prompt).RunAsync(() => throw new TimeoutException()));

        Assert.Empty(prompt.Asked);
    }
}
