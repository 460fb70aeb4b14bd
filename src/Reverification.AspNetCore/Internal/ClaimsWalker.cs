using System.Runtime.InteropServices;
using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

internal interface IClaimVisitor
{
    /// <summary>Visits one claim; returns <see langword="false"/> to stop early.</summary>
    bool Visit(Claim claim);
}

/// <summary>
/// Visits the claims of the principal's authenticated identities without allocating in the common case
/// (a <see cref="ClaimsPrincipal"/> and <see cref="ClaimsIdentity"/> whose collections are lists).
/// </summary>
internal static class ClaimsWalker
{
    /// <summary>Returns <see langword="false"/> when the principal has no authenticated identity.</summary>
    public static bool Walk<TVisitor>(ClaimsPrincipal principal, ref TVisitor visitor)
        where TVisitor : struct, IClaimVisitor
    {
        var any = false;
        if (principal.Identities is List<ClaimsIdentity> list)
        {
            foreach (var identity in CollectionsMarshal.AsSpan(list))
            {
                if (!WalkIdentity(identity, ref visitor, ref any))
                {
                    break;
                }
            }
        }
        else
        {
            foreach (var identity in principal.Identities)
            {
                if (!WalkIdentity(identity, ref visitor, ref any))
                {
                    break;
                }
            }
        }

        return any;
    }

    private static bool WalkIdentity<TVisitor>(ClaimsIdentity identity, ref TVisitor visitor, ref bool any)
        where TVisitor : struct, IClaimVisitor
    {
        if (!identity.IsAuthenticated)
        {
            return true;
        }

        any = true;
        var claims = identity.Claims;
        if (claims is List<Claim> list)
        {
            // The list's own array, without the indexer's checks on every claim; the principal is not changed meanwhile.
            foreach (var claim in CollectionsMarshal.AsSpan(list))
            {
                if (!visitor.Visit(claim))
                {
                    return false;
                }
            }
        }
        else
        {
            foreach (var claim in claims)
            {
                if (!visitor.Visit(claim))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
