using System.Threading.Channels;

namespace Reverification.Client.Tests.Infrastructure;

/// <summary>One call of <see cref="QueuedPrompt"/>, answered by the test.</summary>
internal sealed class PromptCall(ReverificationChallenge challenge, CancellationToken token)
{
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReverificationChallenge Challenge { get; } = challenge;

    public CancellationToken Token { get; } = token;

    public Task<bool> Answered => _answer.Task;

    public void Answer(bool verified) => _answer.TrySetResult(verified);
}

/// <summary>
/// A prompt whose calls the test takes one by one, in order, and answers: for tests with several prompts.
/// </summary>
internal sealed class QueuedPrompt : IReverificationPrompt
{
    private readonly Channel<PromptCall> _calls = Channel.CreateUnbounded<PromptCall>();
    private int _count;

    /// <summary>Runs before a positive answer is returned (puts the "fresh credentials" in place).</summary>
    public Action<ReverificationChallenge>? OnVerified { get; set; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The next call of the prompt (fails after 30 seconds, so that a missing prompt fails the test).</summary>
    public async Task<PromptCall> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }

    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        var call = new PromptCall(challenge, cancellationToken);
        _calls.Writer.TryWrite(call);
        var verified = await call.Answered.WaitAsync(cancellationToken);
        if (verified)
        {
            OnVerified?.Invoke(challenge);
        }

        return verified;
    }
}
