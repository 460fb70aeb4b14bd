namespace Reverification.AspNetCore;

/// <summary>
/// The result of checking a user against a reverification level.
/// </summary>
public enum ReverificationOutcome
{
    /// <summary>The user verified recently enough.</summary>
    Passed = 0,

    /// <summary>
    /// The user must verify again: the verification is too old, a factor was never verified, or the user's claims
    /// hold no verification data at all.
    /// </summary>
    ReverificationRequired = 1,

    /// <summary>
    /// The verification claims are malformed (wrong types or lengths, out-of-range or future times, duplicates,
    /// invalid JSON). The check fails closed: the user must verify again.
    /// </summary>
    MalformedClaims = 2,

    /// <summary>The user is not authenticated.</summary>
    Unauthenticated = 3,
}
