namespace Reverification.Blazor;

/// <summary>
/// For apps whose Identity endpoints are authenticated with a bearer token (a WebAssembly app holding an access token,
/// a Blazor Server app calling with one): supplies the <c>Authorization</c> header <see cref="ReverificationForm"/>
/// sends, and receives the new token a verification answers. Register it in the app's services (scoped, to read the
/// user's token); the form then sends every request with it and without the browser's cookies.
/// </summary>
/// <remarks>
/// <para>
/// The header goes only to the page's own origin, or to the origin of an absolute <see cref="ReverificationForm.EndpointPrefix"/>
/// (<c>https</c>; <c>http</c> on loopback only); redirects are not followed. Any other prefix is refused before anything
/// is sent.
/// </para>
/// <para>
/// Passkeys: Identity keeps a passkey request's challenge in its two-factor cookie between <c>/passkey/options</c> and
/// <c>/passkey</c>, so those two requests carry the browser's cookies of the page's origin; on a cross-origin
/// <see cref="ReverificationForm.EndpointPrefix"/> the form does not offer passkeys.
/// </para>
/// </remarks>
public interface IReverificationFormAuthorization
{
    /// <summary>
    /// The <c>Authorization</c> header value for the next request (<c>Bearer eyJ...</c>), called before each request so
    /// that the app can refresh an expiring token; <see langword="null"/> to send none (the endpoint then answers 401).
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the dialog closes.</param>
    /// <returns>The header value; one with a control character (a line break) is refused, nothing is sent.</returns>
    ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Receives a successful verification's answer: with <c>MapIdentityApi</c>'s bearer tokens, the new token pair as
    /// <c>/login</c> answers it (<c>{"tokenType":"Bearer","accessToken":"...","expiresIn":3600,"refreshToken":"..."}</c>);
    /// with <c>IdentityReverificationOptions.IssueToken</c>, what it returns. Store the new token: the form's next
    /// requests and the retried request must carry it, since it records the fresh verification.
    /// </summary>
    /// <param name="status">The answer's status code (<c>200</c>, or <c>204</c> when the answer has no body).</param>
    /// <param name="body">The answer's body, empty when there is none.</param>
    /// <param name="cancellationToken">Cancelled when the dialog closes.</param>
    /// <returns>A task that completes when the token is stored; an exception shows an error and the form does not go on.</returns>
    ValueTask OnVerifiedAsync(int status, string body, CancellationToken cancellationToken);
}
