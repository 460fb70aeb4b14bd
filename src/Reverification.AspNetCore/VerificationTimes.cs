namespace Reverification.AspNetCore;

/// <summary>
/// What a <see cref="IVerificationClaimsReader"/> found in a principal: when each factor was last verified.
/// </summary>
/// <remarks>
/// A factor's time is <see langword="null"/> when it was never verified (or is not enrolled). Times in the future
/// beyond <see cref="ReverificationOptions.ClockSkew"/>, including <see cref="IssuedAt"/>, make the data malformed.
/// </remarks>
public readonly struct VerificationTimes
{
    private VerificationTimes(VerificationClaimsStatus status, DateTimeOffset? firstFactor, DateTimeOffset? secondFactor, DateTimeOffset? issuedAt, string? malformedClaimType = null)
    {
        Status = status;
        MalformedClaimType = malformedClaimType;
        FirstFactorVerifiedAt = firstFactor;
        SecondFactorVerifiedAt = secondFactor;
        IssuedAt = issuedAt;
    }

    /// <summary>No verification data was found: the check denies.</summary>
    public static VerificationTimes Missing => new(VerificationClaimsStatus.Missing, null, null, null);

    /// <summary>The verification data is malformed: the check denies.</summary>
    public static VerificationTimes Malformed => new(VerificationClaimsStatus.Malformed, null, null, null);

    /// <summary>
    /// The verification data is malformed, and <paramref name="claimType"/> is the claim that is: the check denies, and
    /// the warning it logs names the claim type (never its value).
    /// </summary>
    /// <param name="claimType">The type of the malformed claim.</param>
    /// <returns>Malformed data.</returns>
    public static VerificationTimes MalformedClaim(string claimType)
        => new(VerificationClaimsStatus.Malformed, null, null, null, claimType);

    /// <summary>Whether data was found, and whether it was well formed.</summary>
    public VerificationClaimsStatus Status { get; }

    /// <summary>When the first factor was last verified, or <see langword="null"/> for never.</summary>
    public DateTimeOffset? FirstFactorVerifiedAt { get; }

    /// <summary>When the second factor was last verified, or <see langword="null"/> for never.</summary>
    public DateTimeOffset? SecondFactorVerifiedAt { get; }

    /// <summary>
    /// The time the data was stated as of (a token's <c>iat</c>) when the times were derived from relative ages;
    /// checked against the clock like the times themselves.
    /// </summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>The claim type named by <see cref="MalformedClaim(string)"/>, for the log.</summary>
    internal string? MalformedClaimType { get; }

    /// <summary>
    /// Creates well-formed verification data.
    /// </summary>
    /// <param name="firstFactorVerifiedAt">When the first factor was last verified, or <see langword="null"/> for never.</param>
    /// <param name="secondFactorVerifiedAt">When the second factor was last verified, or <see langword="null"/> for never.</param>
    /// <param name="issuedAt">The time relative ages were stated as of, if any.</param>
    /// <returns>The data.</returns>
    public static VerificationTimes Found(DateTimeOffset? firstFactorVerifiedAt, DateTimeOffset? secondFactorVerifiedAt, DateTimeOffset? issuedAt = null)
        => new(VerificationClaimsStatus.Found, firstFactorVerifiedAt, secondFactorVerifiedAt, issuedAt);
}
