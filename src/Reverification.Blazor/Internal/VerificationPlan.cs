using Reverification.Client;

namespace Reverification.Blazor.Internal;

/// <summary>
/// Which factor the form asks for next, from the account's methods, the ages its credential carries and the challenge:
/// the contract's decision, used only to guide the user (the server decides when the request is sent again).
/// </summary>
internal static class VerificationPlan
{
    /// <summary>
    /// The next step. With a one-time approval the ages do not count (a fresh verification never approves): the form
    /// asks for the level's factors once in this dialog, each sent with the approval id; <paramref name="firstDone"/>
    /// and <paramref name="secondDone"/> say what this dialog verified.
    /// </summary>
    public static VerificationStep Next(ReverificationChallenge challenge, AccountMethods account, bool firstDone = false, bool secondDone = false)
    {
        if (challenge.Approval is not null)
        {
            return NextForApproval(challenge, account, firstDone, secondDone);
        }

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

    /// <summary>
    /// What approves (docs/approvals.md): <c>first_factor</c> levels the first factor; <c>second_factor</c> levels the
    /// second factor now (the first for an account without one); <c>multi_factor</c> levels both, each sent with the id.
    /// </summary>
    private static VerificationStep NextForApproval(ReverificationChallenge challenge, AccountMethods account, bool firstDone, bool secondDone)
    {
        var twoFactor = account.HasSecondFactor || account.SecondFactorAgeSeconds is not null;
        return challenge.Factors switch
        {
            ReverificationFactors.FirstFactor => firstDone ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor when !twoFactor => firstDone ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor => secondDone ? VerificationStep.Done : VerificationStep.SecondFactor,
            _ when !twoFactor => firstDone ? VerificationStep.Done : VerificationStep.FirstFactor,
            _ => !firstDone ? VerificationStep.FirstFactor : !secondDone ? VerificationStep.SecondFactor : VerificationStep.Done,
        };
    }
}
