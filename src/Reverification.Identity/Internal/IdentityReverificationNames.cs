namespace Reverification.Identity.Internal;

/// <summary>The wire names of methods and results: in answers, metric tags and logs.</summary>
internal static class IdentityReverificationNames
{
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
