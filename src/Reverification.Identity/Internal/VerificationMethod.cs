namespace Reverification.Identity.Internal;

/// <summary>A way to verify again; its name is the metric tag and the name in <c>GET {prefix}/methods</c>.</summary>
internal enum VerificationMethod
{
    Password,
    Authenticator,
    RecoveryCode,
    Passkey,
}
