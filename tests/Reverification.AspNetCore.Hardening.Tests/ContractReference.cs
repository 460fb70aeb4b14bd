namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// The contract's decision table (../shared/CONTRACT.md, "The decision"), restated plainly for the property tests and
/// written independently of Internal/ReverificationEvaluator. Ages are in seconds, <see langword="null"/> is "never";
/// an age below minus the clock skew is a verification in the future beyond the skew: malformed, so deny.
/// </summary>
internal static class ContractReference
{
    public const long SkewSeconds = 60;

    public static bool Passes(long? f1Age, long? f2Age, ReverificationFactors factors, double maxAgeMinutes)
    {
        if (f1Age < -SkewSeconds || f2Age < -SkewSeconds)
        {
            return false; // malformed
        }

        if (f1Age is null && f2Age is null)
        {
            return false; // never verified
        }

        var maxAgeSeconds = maxAgeMinutes * 60;
        var f1Ok = f1Age is { } a && Math.Max(a, 0) < maxAgeSeconds; // strictly less
        var f2Ok = f2Age is { } b && Math.Max(b, 0) < maxAgeSeconds;
        switch (factors)
        {
            case ReverificationFactors.FirstFactor:
                return f1Ok;
            case ReverificationFactors.SecondFactor:
                return f2Age is null ? f1Ok : f2Ok;
            case ReverificationFactors.MultiFactor:
                if (f2Age is null)
                {
                    return f1Ok;
                }

                if (f1Age is null)
                {
                    return false;
                }

                return f1Ok && f2Ok;
            default:
                return false;
        }
    }
}
