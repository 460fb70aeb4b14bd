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
    /// The verification claims for the new token, from <see cref="ReverificationRecorder.CreateClaims"/>: now for the
    /// factors verified, the current principal's claims, unchanged, for the other factor.
    /// </summary>
    public IReadOnlyList<Claim> Claims { get; }
}
