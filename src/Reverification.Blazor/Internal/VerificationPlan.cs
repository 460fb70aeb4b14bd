using Reverification.Client;

namespace Reverification.Blazor.Internal;

/// <summary>
/// Which factor the form asks for next, from the account's methods, the ages its credential carries and the challenge:
/// the contract's decision, used only to guide the user (the server decides when the request is sent again).
/// </summary>
internal static class VerificationPlan
{
    public static VerificationStep Next(ReverificationChallenge challenge, AccountMethods account)
    {
        var maxAgeSeconds = challenge.MaxAge.TotalSeconds;
        var firstFresh = account.FirstFactorAgeSeconds is { } f1 && f1 < maxAgeSeconds;
        var secondFresh = account.SecondFactorAgeSeconds is { } f2 && f2 < maxAgeSeconds;

        // An account with a second factor always needs it for second_factor and multi_factor: its recordings keep a
        // second-factor time (stale when not verified), so the password alone never passes.
        var twoFactor = account.HasSecondFactor || account.SecondFactorAgeSeconds is not null;
        return challenge.Factors switch
        {
            ReverificationFactors.FirstFactor => firstFresh ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor when !twoFactor => firstFresh ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor => secondFresh ? VerificationStep.Done : VerificationStep.SecondFactor,
            _ when !twoFactor => firstFresh ? VerificationStep.Done : VerificationStep.FirstFactor,
            _ => !firstFresh ? VerificationStep.FirstFactor : !secondFresh ? VerificationStep.SecondFactor : VerificationStep.Done,
        };
    }
}
