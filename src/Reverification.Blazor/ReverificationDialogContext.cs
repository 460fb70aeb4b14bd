using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// One open reverification request, handed to the app's verification form inside <see cref="ReverificationDialog"/>:
/// what the server asked for, and the means to complete or cancel the waiting call.
/// </summary>
/// <remarks>
/// <see cref="Complete"/> and <see cref="Cancel"/> may be called once; later calls are ignored. Call
/// <see cref="Complete"/> only after the app put the fresh credentials in place (for example after its verify
/// endpoint returned a new token and the token store holds it): the waiting requests are then sent again.
/// </remarks>
#pragma warning disable CA1001 // The token source has no timer: nothing to release, and no race with a late Cancel.
public sealed class ReverificationDialogContext
#pragma warning restore CA1001
{
    private readonly TaskCompletionSource<bool> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closed = new();
    private readonly Action<ReverificationDialogContext> _onChanged;
    private string? _errorMessage;

    internal ReverificationDialogContext(ReverificationChallenge challenge, Action<ReverificationDialogContext> onChanged)
    {
        Challenge = challenge;
        _onChanged = onChanged;
    }

    /// <summary>What the server asked for: the factors and their max age.</summary>
    public ReverificationChallenge Challenge { get; }

    /// <summary>
    /// The one-time approval the server asks for, or <see langword="null"/>: the form sends its
    /// <see cref="ReverificationChallengeApproval.Id"/> with the verification (the Identity endpoints' <c>approvalId</c>);
    /// the dialog shows its <see cref="ReverificationChallengeApproval.Summary"/>.
    /// </summary>
    public ReverificationChallengeApproval? Approval => Challenge.Approval;

    /// <summary>Whether the first factor (password, ...) is asked for: <see cref="ReverificationFactors.FirstFactor"/> or <see cref="ReverificationFactors.MultiFactor"/>.</summary>
    public bool NeedsFirstFactor => Challenge.Factors is ReverificationFactors.FirstFactor or ReverificationFactors.MultiFactor;

    /// <summary>
    /// Whether the second factor (TOTP, ...) is asked for: <see cref="ReverificationFactors.SecondFactor"/> or
    /// <see cref="ReverificationFactors.MultiFactor"/>. A user without a second factor verifies the first one instead.
    /// </summary>
    public bool NeedsSecondFactor => Challenge.Factors is ReverificationFactors.SecondFactor or ReverificationFactors.MultiFactor;

    /// <summary>A sentence for the user that says what to verify and within how long (the max age; English).</summary>
    public string Description => ReverificationText.Describe(Challenge);

    /// <summary>The message the dialog shows in its alert region, or <see langword="null"/>.</summary>
    public string? ErrorMessage => _errorMessage;

    /// <summary>Whether <see cref="Complete"/> or <see cref="Cancel"/> was called, the waiting call went away, or the dialog did.</summary>
    public bool IsClosed => _result.Task.IsCompleted;

    /// <summary>Cancelled when the dialog closes (completed, cancelled, nobody waits any more, or the dialog went away).</summary>
    public CancellationToken Closed => _closed.Token;

    internal Task<bool> Result => _result.Task;

    /// <summary>The user verified and fresh credentials are in place: closes the dialog and retries the waiting calls.</summary>
    public void Complete() => Close(verified: true);

    /// <summary>The user gave up: closes the dialog; the waiting calls fail with <see cref="ReverificationCancelledException"/>.</summary>
    public void Cancel() => Close(verified: false);

    /// <summary>Shows a message in the dialog's alert region (<c>role="alert"</c>), for example "Wrong code".</summary>
    /// <param name="message">The message, or <see langword="null"/> to clear it.</param>
    public void SetError(string? message)
    {
        if (IsClosed || string.Equals(_errorMessage, message, StringComparison.Ordinal))
        {
            return;
        }

        _errorMessage = message;
        _onChanged(this);
    }

    internal void Abandon(CancellationToken cancellationToken)
    {
        if (_result.TrySetCanceled(cancellationToken))
        {
            CloseToken();
            _onChanged(this);
        }
    }

    /// <summary>Nobody can answer any more (the dialog went away): the waiting call fails with <paramref name="exception"/>.</summary>
    internal void Fail(Exception exception)
    {
        if (_result.TrySetException(exception))
        {
            CloseToken();
            _onChanged(this);
        }
    }

    private void Close(bool verified)
    {
        if (_result.TrySetResult(verified))
        {
            CloseToken();
            _onChanged(this);
        }
    }

    private void CloseToken()
    {
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the app's form threw; the dialog closes anyway.
        }
    }
}
