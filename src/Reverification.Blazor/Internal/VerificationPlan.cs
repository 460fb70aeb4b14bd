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
        // With an approval, what counts is what this dialog verified (docs/approvals.md: first_factor levels the first
        // factor; second_factor levels the second factor now, the first for an account without one; multi_factor both).
        if (challenge.Approval is not null)
        {
            return Step(challenge, account, firstDone, secondDone);
        }

        var maxAgeSeconds = challenge.MaxAge.TotalSeconds;
        var firstFresh = account.FirstFactorAgeSeconds is { } f1 && f1 < maxAgeSeconds;
        var secondFresh = account.SecondFactorAgeSeconds is { } f2 && f2 < maxAgeSeconds;
        return Step(challenge, account, firstFresh, secondFresh);
    }

    /// <summary>
    /// The step after a verification that the server recorded but that left the one-time approval pending
    /// (<c>Reverification-Approval-State: pending</c>): the approval needs a factor this verification did not give. A
    /// second factor alone (a code, or a passkey without user verification) leaves the first missing; a first factor
    /// alone leaves the second missing. The server counts a first factor verified since the approval was issued beside a
    /// second factor verified now, not the reverse, so after the first factor the second is asked (again).
    /// </summary>
    public static VerificationStep AfterPendingApproval(bool secondFactorVerified)
        => secondFactorVerified ? VerificationStep.FirstFactor : VerificationStep.SecondFactor;

    /// <summary>The step the level still needs, given which factors count as verified.</summary>
    private static VerificationStep Step(ReverificationChallenge challenge, AccountMethods account, bool first, bool second)
    {
        // An account with a second factor always needs it for second_factor and multi_factor: its recordings keep a
        // second-factor time (stale when not verified), so the password alone never passes.
        var twoFactor = account.HasSecondFactor || account.SecondFactorAgeSeconds is not null;
        return challenge.Factors switch
        {
            ReverificationFactors.FirstFactor => first ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor when !twoFactor => first ? VerificationStep.Done : VerificationStep.FirstFactor,
            ReverificationFactors.SecondFactor => second ? VerificationStep.Done : VerificationStep.SecondFactor,
            _ when !twoFactor => first ? VerificationStep.Done : VerificationStep.FirstFactor,
            _ => !first ? VerificationStep.FirstFactor : !second ? VerificationStep.SecondFactor : VerificationStep.Done,
        };
    }
}
