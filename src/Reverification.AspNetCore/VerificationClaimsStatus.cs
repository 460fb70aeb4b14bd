namespace Reverification.AspNetCore;

/// <summary>
/// Whether a principal carried verification data, and whether it was well formed.
/// </summary>
public enum VerificationClaimsStatus
{
    /// <summary>No verification claims: the check denies (fail closed).</summary>
    Missing = 0,

    /// <summary>Well-formed verification claims were found.</summary>
    Found = 1,

    /// <summary>Verification claims were present but malformed: the check denies (fail closed).</summary>
    Malformed = 2,
}
