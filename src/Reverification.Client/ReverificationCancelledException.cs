namespace Reverification.Client;

/// <summary>
/// Thrown to a caller whose request needed reverification when the user cancelled the prompt. The counterpart of
/// Clerk's <c>reverification_cancelled</c> error.
/// </summary>
/// <remarks>
/// It does not derive from <see cref="OperationCanceledException"/> on purpose: the caller's own cancellation still
/// surfaces as <see cref="OperationCanceledException"/>, and the two can be told apart.
/// </remarks>
public sealed class ReverificationCancelledException : Exception
{
    /// <summary>The error code: <c>reverification_cancelled</c>, as in Clerk's SDKs.</summary>
    public const string ErrorCode = "reverification_cancelled";

    /// <summary>Creates the exception with a default message.</summary>
    public ReverificationCancelledException()
        : this(message: null, challenge: null, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ReverificationCancelledException(string? message)
        : this(message, challenge: null, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ReverificationCancelledException(string? message, Exception? innerException)
        : this(message, challenge: null, innerException)
    {
    }

    /// <summary>Creates the exception for the challenge the user cancelled.</summary>
    /// <param name="challenge">What the server asked for.</param>
    public ReverificationCancelledException(ReverificationChallenge challenge)
        : this(message: null, challenge, innerException: null)
    {
        ArgumentNullException.ThrowIfNull(challenge);
    }

    /// <summary>Creates the exception with a message, the challenge that was cancelled and an inner exception.</summary>
    /// <param name="message">The message, for example why the prompt closed without the user; <see langword="null"/> for the default.</param>
    /// <param name="challenge">What the server asked for, when known.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ReverificationCancelledException(string? message, ReverificationChallenge? challenge, Exception? innerException)
        : base(message ?? CreateMessage(challenge), innerException)
    {
        Challenge = challenge;
    }

    /// <summary>The error code, always <see cref="ErrorCode"/> (<c>reverification_cancelled</c>).</summary>
#pragma warning disable CA1822 // An instance property, like the error codes of other exceptions.
    public string Code => ErrorCode;
#pragma warning restore CA1822

    /// <summary>What the server asked for, when known.</summary>
    public ReverificationChallenge? Challenge { get; }

    private static string CreateMessage(ReverificationChallenge? challenge)
        => challenge is null
            ? "The user cancelled the reverification."
            : $"The user cancelled the reverification ({challenge}); the request was not retried.";
}
