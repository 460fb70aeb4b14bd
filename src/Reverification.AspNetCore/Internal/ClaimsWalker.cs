using System.Runtime.InteropServices;
using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Visits the claims of one identity without allocating when its claims are a list (as <see cref="ClaimsIdentity"/>
/// keeps them); any other collection is enumerated.
/// </summary>
internal static class ClaimsWalker
{
    public static void Walk<TVisitor>(ClaimsIdentity identity, ref TVisitor visitor)
        where TVisitor : struct, IClaimVisitor
    {
        if (identity.Claims is List<Claim> list)
        {
            // The list's own array: the identity is not changed while it is read.
            foreach (var claim in CollectionsMarshal.AsSpan(list))
            {
                if (!visitor.Visit(claim))
                {
                    return;
                }
            }

            return;
        }

        foreach (var claim in identity.Claims)
        {
            if (!visitor.Visit(claim))
            {
                return;
            }
        }
    }
}
