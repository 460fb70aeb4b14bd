using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Reverification.Client.Internal;

/// <summary>
/// Single-flight around one <see cref="IReverificationPrompt"/>: concurrent requests that need reverification share one
/// call of the prompt when it asks for at least what they need. Shared by every handler that uses the same prompt
/// instance (handlers are recreated by IHttpClientFactory; the prompt is what the user sees).
/// </summary>
/// <remarks>
/// <para>
/// A request joins the open prompt only when that prompt's challenge covers its own (<see cref="Covers"/>); otherwise it
/// waits until that prompt ends and then opens a follow-up prompt (which later requests it covers join in turn). A
/// request whose answer arrives after a prompt succeeded (it was sent with the old credentials) retries without a
/// prompt only when a prompt that succeeded since it was sent covers it.
/// </para>
/// <para>
/// A waiter whose token is cancelled leaves with <see cref="OperationCanceledException"/>; the prompt goes on for the
/// others. When the last waiter leaves, the prompt's token is cancelled and the next request starts a new prompt.
/// </para>
/// </remarks>
internal sealed class PromptCoordinator
{
    /// <summary>How many recent successes are kept to answer <see cref="ReverifyAsync"/>'s "since" question.</summary>
    private const int RecentSuccessCount = 16;

    private static readonly ConditionalWeakTable<IReverificationPrompt, PromptCoordinator> s_coordinators = new();

    private readonly IReverificationPrompt _prompt;
    private readonly Lock _lock = new();
    private readonly Queue<(long Number, ReverificationChallenge Challenge)> _recentSuccesses = new();
    private Flight? _current;
    private long _successes;
    private int _queued;

    private PromptCoordinator(IReverificationPrompt prompt) => _prompt = prompt;

    public static PromptCoordinator For(IReverificationPrompt prompt) => s_coordinators.GetValue(prompt, static p => new PromptCoordinator(p));

    /// <summary>
    /// How many reverifications succeeded so far. Read before a request is sent, and passed to
    /// <see cref="ReverifyAsync"/> if its answer asks for reverification.
    /// </summary>
    /// <remarks>
    /// Written under the lock with <see cref="Interlocked"/>, so it can be read without the lock, on every request:
    /// <c>Volatile.Read</c> is atomic on every platform (a plain load on 64-bit ones, where
    /// <c>Interlocked.Read</c> would be a locked compare-exchange on the hot path).
    /// </remarks>
    public long Successes => Volatile.Read(ref _successes);

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

    /// <summary>The number of callers waiting for the current prompt to end, to open a follow-up (for tests).</summary>
    internal int QueuedCount
    {
        get
        {
            lock (_lock)
            {
                return _queued;
            }
        }
    }

    /// <summary>
    /// Whether a reverification for <paramref name="done"/> satisfies <paramref name="wanted"/>: it verified at least
    /// the factors <paramref name="wanted"/> names (both factors cover either one). The max ages do not matter: a
    /// prompt that succeeds verified its factors just then, which is recent enough for any level.
    /// </summary>
    internal static bool Covers(ReverificationChallenge done, ReverificationChallenge wanted)
        => done.Approval is null && wanted.Approval is null // A one-time approval is its own prompt, never shared or skipped.
            && (done.Factors == ReverificationFactors.MultiFactor || done.Factors == wanted.Factors);

    /// <summary>
    /// Makes sure the user reverified for <paramref name="challenge"/> after the request was sent: returns at once when
    /// a prompt that succeeded since then covers it, joins the open prompt when that covers it, and otherwise opens a
    /// prompt (after the open one ends, if there is one).
    /// </summary>
    /// <param name="challenge">What the answer asked for.</param>
    /// <param name="successesBeforeSend"><see cref="Successes"/> as it was before the request was sent.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>
    /// <see langword="true"/> when this caller waited for a prompt, <see langword="false"/> when a reverification that
    /// completed since the request was sent already covers it.
    /// </returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, long successesBeforeSend, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Flight flight;
            bool started = false;
            bool joined;
            lock (_lock)
            {
                if (VerifiedSince(successesBeforeSend, challenge))
                {
                    return false;
                }

                if (_current is null)
                {
                    _current = new Flight(challenge);
                    started = true;
                }

                flight = _current;
                joined = started || Covers(flight.Challenge, challenge);
                if (joined)
                {
                    flight.Waiters++;
                }
                else
                {
                    _queued++;
                }
            }

            if (started)
            {
                _ = RunAsync(flight);
            }

            if (!joined)
            {
                // The open prompt asks for less than this request needs: open a follow-up once it has ended.
                try
                {
                    await flight.Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (_lock)
                    {
                        _queued--;
                    }
                }

                continue;
            }

            return await WaitAsync(flight, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitAsync(Flight flight, CancellationToken cancellationToken)
    {
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
                return true;
            case FlightOutcomeKind.Failed:
                outcome.Error!.Throw();
                throw outcome.Error.SourceException; // Unreachable.
            default:
                throw new ReverificationCancelledException(flight.Challenge);
        }
    }

    /// <summary>Whether a success numbered above <paramref name="successes"/> covers <paramref name="challenge"/>. Under the lock.</summary>
    /// <remarks>
    /// Only the last <see cref="RecentSuccessCount"/> successes are kept: when older ones would be needed, the answer is
    /// "no", which costs a prompt, never a retry with stale credentials.
    /// </remarks>
    private bool VerifiedSince(long successes, ReverificationChallenge challenge)
    {
        foreach (var (number, done) in _recentSuccesses)
        {
            if (number > successes && Covers(done, challenge))
            {
                return true;
            }
        }

        return false;
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

        try
        {
            flight.Abandon();
        }
        catch (AggregateException)
        {
            // A callback the app registered on the prompt's token threw; the prompt is abandoned all the same, and the
            // leaving caller still gets its OperationCanceledException.
        }
        finally
        {
            flight.End();
        }
    }

    private async Task RunAsync(Flight flight)
    {
        FlightOutcome outcome;
        try
        {
            var verified = await _prompt.ReverifyAsync(flight.Challenge, flight.Token).ConfigureAwait(false);
            outcome = verified ? FlightOutcome.Verified : FlightOutcome.Cancelled;
        }
        catch (OperationCanceledException) when (flight.Token.IsCancellationRequested)
        {
            // Abandoned by its last waiter: nobody hears this outcome.
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
                var number = Interlocked.Increment(ref _successes);
                _recentSuccesses.Enqueue((number, flight.Challenge));
                if (_recentSuccesses.Count > RecentSuccessCount)
                {
                    _recentSuccesses.Dequeue();
                }
            }

            flight.Complete(outcome);
        }

        flight.End();
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
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReverificationChallenge Challenge { get; } = challenge;

        public TaskCompletionSource<FlightOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when this flight is no longer the open prompt (it completed, or everyone left it).</summary>
        public Task Ended => _ended.Task;

        public int Waiters { get; set; }

        public CancellationToken Token => _abandoned.Token;

        public void Abandon() => _abandoned.Cancel();

        public void Complete(FlightOutcome outcome) => Completion.TrySetResult(outcome);

        public void End() => _ended.TrySetResult();
    }
}
