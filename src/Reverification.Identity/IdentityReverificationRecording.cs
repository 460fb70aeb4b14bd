namespace Reverification.Identity;

/// <summary>
/// How a successful verification is recorded: which credential the answer carries.
/// </summary>
public enum IdentityReverificationRecording
{
    /// <summary>
    /// <see cref="IdentityReverificationOptions.IssueToken"/> when it is set; otherwise by the request, as
    /// <c>AddIdentityApiEndpoints</c>' own scheme chooses: a request with an <c>Authorization: Bearer</c> header gets a
    /// new token pair (<see cref="BearerToken"/>) when the bearer scheme is registered, any other a refreshed cookie
    /// (<see cref="Cookie"/>). Either way the scheme must authenticate the request as the signed-in user, or the
    /// endpoint answers <c>400</c> (<c>cannot_record</c>) before checking or using up anything. The default.
    /// </summary>
    Automatic = 0,

    /// <summary>
    /// Refresh Identity's application cookie (<see cref="IdentityReverificationOptions.CookieScheme"/>); the answer is
    /// <c>204 No Content</c> with the new cookie.
    /// </summary>
    Cookie = 1,

    /// <summary>
    /// Sign in again with Identity's bearer tokens (<see cref="IdentityReverificationOptions.BearerScheme"/>,
    /// <c>MapIdentityApi</c>); the answer is the new access and refresh token, as <c>/login</c> answers.
    /// </summary>
    BearerToken = 2,

    /// <summary>
    /// The app issues its own token: <see cref="IdentityReverificationOptions.IssueToken"/> writes the answer.
    /// </summary>
    Custom = 3,
}
