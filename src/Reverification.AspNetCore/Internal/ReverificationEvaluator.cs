namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The contract's decision, as a pure function of the verification times, the clock and the level.
/// </summary>
internal static class ReverificationEvaluator
{
    /// <summary>Checks the data against the clock: future times beyond the skew are malformed.</summary>
    public static bool IsWellFormed(in VerificationTimes times, DateTimeOffset now, TimeSpan skew)
    {
        if (times.Status != VerificationClaimsStatus.Found)
        {
            return times.Status == VerificationClaimsStatus.Missing;
        }

        var latest = now + skew;
        return !(times.IssuedAt > latest || times.FirstFactorVerifiedAt > latest || times.SecondFactorVerifiedAt > latest);
    }

    /// <summary>The decision: malformed data (including times in the future beyond the skew) denies.</summary>
    public static ReverificationOutcome Evaluate(in VerificationTimes times, DateTimeOffset now, TimeSpan skew, ReverificationLevel level)
        => IsWellFormed(times, now, skew) ? EvaluateWellFormed(times, now, level) : ReverificationOutcome.MalformedClaims;

    /// <summary>
    /// <see cref="Evaluate"/> for times already checked with <see cref="IsWellFormed"/> against the same
    /// <paramref name="now"/> (as <c>ReverificationService.ReadTimes</c> does), so the check is not repeated.
    /// </summary>
    public static ReverificationOutcome EvaluateWellFormed(in VerificationTimes times, DateTimeOffset now, ReverificationLevel level)
    {
        switch (times.Status)
        {
            case VerificationClaimsStatus.Found:
                break;
            case VerificationClaimsStatus.Missing:
                return ReverificationOutcome.ReverificationRequired;
            default:
                return ReverificationOutcome.MalformedClaims;
        }

        return Decide(Age(times.FirstFactorVerifiedAt, now), Age(times.SecondFactorVerifiedAt, now), level.Factors, level.MaxAge)
            ? ReverificationOutcome.Passed
            : ReverificationOutcome.ReverificationRequired;
    }

    /// <summary>
    /// The contract's table. <paramref name="f1"/> and <paramref name="f2"/> are ages; <see langword="null"/> is "never".
    /// </summary>
    public static bool Decide(TimeSpan? f1, TimeSpan? f2, ReverificationFactors factors, TimeSpan maxAge)
    {
        if (f1 is null && f2 is null)
        {
            return false;
        }

        var f1Ok = f1 < maxAge;
        var f2Ok = f2 < maxAge;
        return factors switch
        {
            ReverificationFactors.FirstFactor => f1Ok,
            ReverificationFactors.SecondFactor => f2 is null ? f1Ok : f2Ok,
            ReverificationFactors.MultiFactor => f2 is null ? f1Ok : f1 is not null && f1Ok && f2Ok,
            _ => false,
        };
    }

    /// <summary>The age of a verification; times within the clock skew in the future count as "just now".</summary>
    private static TimeSpan? Age(DateTimeOffset? verifiedAt, DateTimeOffset now)
    {
        if (verifiedAt is not { } at)
        {
            return null;
        }

        var age = now - at;
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }

    /// <summary>
    /// How demanding a level is (the contract): more factors first (multi_factor is two, first_factor and
    /// second_factor one each), then a shorter max age; a tie between first_factor and second_factor of the same max
    /// age goes to second_factor, and one between equal demands to the ordinal first name, so that the choice never
    /// depends on the order of the requirements.
    /// </summary>
    public static bool IsMoreDemanding(ReverificationLevel candidate, ReverificationLevel current)
    {
        var candidateCount = FactorCount(candidate.Factors);
        var currentCount = FactorCount(current.Factors);
        if (candidateCount != currentCount)
        {
            return candidateCount > currentCount;
        }

        if (candidate.MaxAge != current.MaxAge)
        {
            return candidate.MaxAge < current.MaxAge;
        }

        if (candidate.Factors != current.Factors)
        {
            return candidate.Factors > current.Factors;
        }

        // The same demand under two names (an app's "admin" = second_factor within 10 minutes, beside "strict"): the
        // ordinal first name, an unnamed (inline) level last.
        return candidate.Name is { } name && (current.Name is null || string.CompareOrdinal(name, current.Name) < 0);
    }

    private static int FactorCount(ReverificationFactors factors) => factors == ReverificationFactors.MultiFactor ? 2 : 1;
}
