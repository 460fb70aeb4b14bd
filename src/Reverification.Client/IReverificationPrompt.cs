namespace Reverification.Client;

/// <summary>
/// Asks the user to verify their credentials again and puts fresh credentials in place. Supplied by the app: a modal
/// dialog (see the Reverification.Blazor package), a console prompt, a MAUI page, ...
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ReverificationHandler"/> calls the prompt at most once at a time per prompt instance: concurrent requests
/// that need reverification share one call. The prompt must make sure that the request sent after it returns
/// <see langword="true"/> carries the fresh credentials (typically the handler that attaches the bearer token, placed
/// inside the <see cref="ReverificationHandler"/>, now finds the new token).
/// </para>
/// <para>
/// The cancellation token is cancelled when no caller waits for the answer any more (every waiting request was
/// cancelled); the prompt should then close and return <see langword="false"/> or throw
/// <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public interface IReverificationPrompt
{
    /// <summary>
    /// Asks the user to verify what <paramref name="challenge"/> names.
    /// </summary>
    /// <param name="challenge">What the server asked for: the factors and how recent their verification must be.</param>
    /// <param name="cancellationToken">Cancelled when nobody waits for the answer any more.</param>
    /// <returns>
    /// <see langword="true"/> when the user verified and fresh credentials are in place; <see langword="false"/> when
    /// the user cancelled (the waiting callers get a <see cref="ReverificationCancelledException"/>).
    /// </returns>
    Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken);
}
