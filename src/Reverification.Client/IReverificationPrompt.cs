namespace Reverification.Client;

/// <summary>
/// Asks the user to verify their credentials again and puts fresh credentials in place. Supplied by the app: a modal
/// dialog (see the Reverification.Blazor package), a console prompt, a MAUI page, ...
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ReverificationHandler"/> calls the prompt once at a time per prompt instance: concurrent requests that
/// need reverification share one call (a request that needs more factors than the open call asks for waits for it to
/// end, then gets a call of its own). A call whose waiters all left is told so through its token; if it ignores the
/// token, the next request that needs reverification starts a new call beside it. The prompt must make sure that the request sent after it returns
/// <see langword="true"/> carries the fresh credentials (typically the handler that attaches the bearer token, placed
/// inside the <see cref="ReverificationHandler"/>, now finds the new token).
/// </para>
/// <para>
/// The cancellation token is cancelled when no caller waits for the answer any more (every waiting request was
/// cancelled); the prompt should then close and return <see langword="false"/> or throw
/// <see cref="OperationCanceledException"/>. An exception the prompt throws for any other reason (an
/// <see cref="OperationCanceledException"/> from its own timeout included) reaches the waiting callers as it is.
/// </para>
/// </remarks>
public interface IReverificationPrompt
{
    /// <summary>
    /// Asks the user to verify what <paramref name="challenge"/> names.
    /// </summary>
    /// <param name="challenge">What the server asked for: the factors and their max age.</param>
    /// <param name="cancellationToken">Cancelled when nobody waits for the answer any more.</param>
    /// <returns>
    /// <see langword="true"/> when the user verified and fresh credentials are in place; <see langword="false"/> when
    /// the user cancelled (the waiting callers get a <see cref="ReverificationCancelledException"/>).
    /// </returns>
    Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken);
}
