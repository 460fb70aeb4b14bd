namespace Reverification.Identity.Internal;

/// <summary>The wire names of methods and results: in answers, metric tags and logs.</summary>
internal static class IdentityReverificationNames
{
    /// <summary>
    /// On a successful verification that named an approval: <c>approved</c>, or <c>pending</c> when the factors verified
    /// so far do not yet satisfy the approval's level (a password for a <c>strict</c> approval of a user with an
    /// authenticator app): the verification is recorded, and the next factor with the same id approves it.
    /// </summary>
    public const string ApprovalStateHeader = "Reverification-Approval-State";

    public static string Of(VerificationMethod method) => method switch
    {
        VerificationMethod.Password => "password",
        VerificationMethod.Authenticator => "authenticator",
        VerificationMethod.RecoveryCode => "recovery_code",
        _ => "passkey",
    };

    public static string Of(AttemptResult result) => result switch
    {
        AttemptResult.Verified => "verified",
        AttemptResult.Wrong => "wrong",
        AttemptResult.LockedOut => "locked_out",
        AttemptResult.Replayed => "replayed",
        _ => "rate_limited",
    };
}
