namespace Reverification.Identity.Internal;

/// <summary>
/// The answer of <c>GET {prefix}/methods</c>: the methods the account has, and how long ago each factor was last
/// verified according to the caller's credential.
/// </summary>
internal sealed class MethodsResponse
{
    /// <summary><c>password</c>, <c>authenticator</c>, <c>recovery_code</c>, <c>passkey</c>: those the account has.</summary>
    public required IReadOnlyList<string> Methods { get; init; }

    /// <summary>How many recovery codes are left.</summary>
    public required int RecoveryCodesLeft { get; init; }

    /// <summary>Seconds since the first factor was last verified; <see langword="null"/> for never.</summary>
    public required long? FirstFactorAgeSeconds { get; init; }

    /// <summary>Seconds since the second factor was last verified; <see langword="null"/> for never.</summary>
    public required long? SecondFactorAgeSeconds { get; init; }

    /// <summary>
    /// <c>found</c>, <c>missing</c> (no verification recorded) or <c>malformed</c> (the credential's verification claims
    /// cannot be read: every protected endpoint denies until the user verifies again).
    /// </summary>
    public required string VerificationData { get; init; }
}
