using Microsoft.AspNetCore.Http;
using Reverification.AspNetCore;

namespace Reverification.Identity.Internal;

/// <summary>What a method's check found: verified (with the factors it proves), refused, or an answer of its own.</summary>
internal sealed class VerificationCheck
{
    private VerificationCheck(AttemptResult? result, ReverificationFactors factors, IResult? answer, bool unavailable)
    {
        Result = result;
        Factors = factors;
        Answer = answer;
        IsUnavailable = unavailable;
    }

    public static VerificationCheck Unavailable { get; } = new(null, default, null, unavailable: true);

    public static VerificationCheck Wrong { get; } = new(AttemptResult.Wrong, default, null, unavailable: false);

    public static VerificationCheck Replayed { get; } = new(AttemptResult.Replayed, default, null, unavailable: false);

    /// <summary><see cref="AttemptResult.Verified"/>, <see cref="AttemptResult.Wrong"/> or <see cref="AttemptResult.Replayed"/>; <see langword="null"/> otherwise.</summary>
    public AttemptResult? Result { get; }

    public ReverificationFactors Factors { get; }

    /// <summary>An answer that is not an attempt (bad input found by the method itself), sent as it is.</summary>
    public IResult? Answer { get; }

    public bool IsUnavailable { get; }

    public static VerificationCheck Verified(ReverificationFactors factors) => new(AttemptResult.Verified, factors, null, unavailable: false);

    public static VerificationCheck Refuse(IResult answer) => new(null, default, answer, unavailable: false);
}
