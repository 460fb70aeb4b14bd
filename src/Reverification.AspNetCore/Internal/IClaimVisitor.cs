using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>Visits the claims of one identity; a struct so that a walk allocates nothing.</summary>
internal interface IClaimVisitor
{
    /// <summary>Visits one claim; returns <see langword="false"/> to stop early.</summary>
    bool Visit(Claim claim);
}
