using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Reverification.AspNetCore;

namespace Reverification.Identity;

/// <summary>
/// What <see cref="IdentityReverificationOptions.IssueToken"/> receives after a successful verification: the request,
/// the user, the factors verified and the verification claims to put in the app's new token.
/// </summary>
public sealed class IdentityReverificationTokenContext
{
    internal IdentityReverificationTokenContext(HttpContext httpContext, string userId, ReverificationFactors verified, IReadOnlyList<Claim> claims)
    {
        HttpContext = httpContext;
        UserId = userId;
        Verified = verified;
        Claims = claims;
    }

    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The verified user's id (<c>UserManager.GetUserIdAsync</c>).</summary>
    public string UserId { get; }

    /// <summary>The factors verified just now.</summary>
    public ReverificationFactors Verified { get; }

    /// <summary>
    /// The verification claims for the new token, as a sign-in records them: now for the factors verified; the other
    /// factor as the current principal carries it while its times are bound to the user's current security stamp, and
    /// present but stale (<c>0</c>) otherwise; a second factor always present for an account with two-factor
    /// authentication; and the claim that binds the times to the security stamp (without it, the times of the new token
    /// do not count). Put all of them in the token.
    /// </summary>
    public IReadOnlyList<Claim> Claims { get; }
}
