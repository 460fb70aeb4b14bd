using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Reverification.Identity;

/// <summary>
/// Options of the Identity reverification endpoints: how a verification is recorded, and the per-account attempt
/// limit.
/// </summary>
/// <remarks>
/// Options are validated when the application starts; an invalid value stops it with a message that says what to
/// change. Identity's own lockout (<see cref="LockoutOptions"/>) applies as well: every wrong answer counts against the
/// account.
/// </remarks>
public sealed class IdentityReverificationOptions
{
    /// <summary>
    /// How a successful verification is recorded. Default: <see cref="IdentityReverificationRecording.Automatic"/>.
    /// </summary>
    public IdentityReverificationRecording Recording { get; set; } = IdentityReverificationRecording.Automatic;

    /// <summary>The cookie scheme refreshed for cookie apps. Default: <see cref="IdentityConstants.ApplicationScheme"/>.</summary>
    public string CookieScheme { get; set; } = IdentityConstants.ApplicationScheme;

    /// <summary>The bearer-token scheme signed in again for token apps. Default: <see cref="IdentityConstants.BearerScheme"/>.</summary>
    public string BearerScheme { get; set; } = IdentityConstants.BearerScheme;

    /// <summary>
    /// For apps that issue their own tokens: returns the answer carrying the new token, built with
    /// <see cref="IdentityReverificationTokenContext.Claims"/>. Used with <see cref="IdentityReverificationRecording.Custom"/>
    /// and, when set, with <see cref="IdentityReverificationRecording.Automatic"/>.
    /// </summary>
    public Func<IdentityReverificationTokenContext, ValueTask<IResult>>? IssueToken { get; set; }

    /// <summary>
    /// How many verification attempts one account may make per <see cref="AttemptWindow"/> on the endpoints, whatever
    /// the network address; further attempts get <c>429</c> with <c>Retry-After</c>. Default: 10.
    /// </summary>
    public int AttemptLimit { get; set; } = 10;

    /// <summary>The window of <see cref="AttemptLimit"/>. Default: 1 minute.</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(1);
}
