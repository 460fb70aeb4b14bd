using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Reverification.Client.Internal;

/// <summary>
/// Single-flight around one <see cref="IReverificationPrompt"/>: concurrent requests that need reverification share one
/// call of the prompt. Shared by every handler that uses the same prompt instance (handlers are recreated by
/// IHttpClientFactory; the prompt is what the user sees).
/// </summary>
/// <remarks>
/// A waiter whose token is cancelled leaves with <see cref="OperationCanceledException"/>; the prompt goes on for the
/// others. When the last waiter leaves, the prompt's token is cancelled and the next request starts a new prompt.
/// </remarks>
internal sealed class PromptCoordinator
{
    private static readonly ConditionalWeakTable<IReverificationPrompt, PromptCoordinator> s_coordinators = new();

    private readonly IReverificationPrompt _prompt;
    private readonly Lock _lock = new();
    private Flight? _current;
    private long _successes;

    private PromptCoordinator(IReverificationPrompt prompt) => _prompt = prompt;

    public static PromptCoordinator For(IReverificationPrompt prompt) => s_coordinators.GetValue(prompt, static p => new PromptCoordinator(p));

    /// <summary>How many reverifications succeeded so far: a request sent before one succeeded retries without a prompt.</summary>
    public long Successes => Interlocked.Read(ref _successes);

    /// <summary>The number of callers waiting for the current prompt (for tests).</summary>
    internal int WaiterCount
    {
        get
        {
            lock (_lock)
            {
                return _current?.Waiters ?? 0;
            }
        }
    }

    /// <summary>Waits for the current prompt, or starts one.</summary>
    /// <returns><see langword="true"/> when this caller started the prompt, <see langword="false"/> when it joined one.</returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flight flight;
        bool started;
        lock (_lock)
        {
            started = _current is null;
            flight = _current ??= new Flight(challenge);
            flight.Waiters++;
        }

        if (started)
        {
            _ = RunAsync(flight);
        }

        FlightOutcome outcome;
        try
        {
            outcome = await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Leave(flight);
            throw;
        }

        switch (outcome.Kind)
        {
            case FlightOutcomeKind.Verified:
                return started;
            case FlightOutcomeKind.Failed:
                outcome.Error!.Throw();
                throw outcome.Error.SourceException; // Unreachable.
            default:
                throw new ReverificationCancelledException(flight.Challenge);
        }
    }

    private void Leave(Flight flight)
    {
        lock (_lock)
        {
            flight.Waiters--;
            if (flight.Waiters > 0 || flight.Completion.Task.IsCompleted)
            {
                return;
            }

            // Nobody waits any more: let the next request start a new prompt, and close this one (outside the lock:
            // the prompt's cancellation callbacks run synchronously).
            if (ReferenceEquals(_current, flight))
            {
                _current = null;
            }
        }

        flight.Abandon();
    }

    private async Task RunAsync(Flight flight)
    {
        FlightOutcome outcome;
        try
        {
            var verified = await _prompt.ReverifyAsync(flight.Challenge, flight.Token).ConfigureAwait(false);
            outcome = verified ? FlightOutcome.Verified : FlightOutcome.Cancelled;
        }
        catch (OperationCanceledException)
        {
            outcome = FlightOutcome.Cancelled;
        }
#pragma warning disable CA1031 // The prompt's failure is handed to every waiter.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new FlightOutcome(FlightOutcomeKind.Failed, ExceptionDispatchInfo.Capture(ex));
        }

        lock (_lock)
        {
            if (ReferenceEquals(_current, flight))
            {
                _current = null;
            }

            if (outcome.Kind == FlightOutcomeKind.Verified)
            {
                Interlocked.Increment(ref _successes);
            }

            flight.Complete(outcome);
        }
    }

    private enum FlightOutcomeKind
    {
        Verified,
        Cancelled,
        Failed,
    }

    private sealed record FlightOutcome(FlightOutcomeKind Kind, ExceptionDispatchInfo? Error)
    {
        public static readonly FlightOutcome Verified = new(FlightOutcomeKind.Verified, null);
        public static readonly FlightOutcome Cancelled = new(FlightOutcomeKind.Cancelled, null);
    }

    /// <summary>One call of the prompt. Mutated under the coordinator's lock only.</summary>
    /// <remarks>
    /// The token source has no timer, so it holds nothing to release and is left to the garbage collector; that
    /// avoids racing a late cancellation against disposal.
    /// </remarks>
#pragma warning disable CA1001 // See remarks.
    private sealed class Flight(ReverificationChallenge challenge)
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource _abandoned = new();

        public ReverificationChallenge Challenge { get; } = challenge;

        public TaskCompletionSource<FlightOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiters { get; set; }

        public CancellationToken Token => _abandoned.Token;

        public void Abandon() => _abandoned.Cancel();

        public void Complete(FlightOutcome outcome) => Completion.TrySetResult(outcome);
    }
}
