namespace Reverification.Client.Tests.Infrastructure;

/// <summary>
/// A prompt the test drives: every call records its challenge and token, then waits for <see cref="Answer"/> (or
/// answers at once when <see cref="AutoAnswer"/> is set).
/// </summary>
internal sealed class FakePrompt : IReverificationPrompt
{
    private readonly List<ReverificationChallenge> _challenges = [];
    private TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answer at once with this value; <see langword="null"/> to wait for <see cref="Answer"/>.</summary>
    public bool? AutoAnswer { get; set; }

    /// <summary>Runs before a positive answer is returned (puts the "fresh credentials" in place).</summary>
    public Action? OnVerified { get; set; }

    public Exception? Throw { get; set; }

    public int Calls { get; private set; }

    public IReadOnlyList<ReverificationChallenge> Challenges => _challenges;

    public CancellationToken LastToken { get; private set; }

    /// <summary>Completes when the prompt is called.</summary>
    public Task Called => _called.Task;

    public void Answer(bool verified) => _answer.TrySetResult(verified);

    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        Calls++;
        _challenges.Add(challenge);
        LastToken = cancellationToken;
        _called.TrySetResult();
        if (Throw is { } exception)
        {
            throw exception;
        }

        var verified = AutoAnswer ?? await _answer.Task.WaitAsync(cancellationToken);
        _answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (verified)
        {
            OnVerified?.Invoke();
        }

        return verified;
    }
}
