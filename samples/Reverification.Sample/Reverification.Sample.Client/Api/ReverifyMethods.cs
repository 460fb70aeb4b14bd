namespace Reverification.Sample.Client.Api;

/// <summary>
/// The answer of Reverification.Identity's <c>GET /reverify/methods</c>: the methods the account can verify with
/// (<c>password</c>, <c>authenticator</c>, <c>recovery_code</c>, <c>passkey</c>) and each factor's age in seconds
/// (null: never, or revoked).
/// </summary>
public sealed record ReverifyMethods(IReadOnlyList<string> Methods, int RecoveryCodesLeft, long? FirstFactorAgeSeconds, long? SecondFactorAgeSeconds)
{
    public const string Password = "password";
    public const string Authenticator = "authenticator";
    public const string RecoveryCode = "recovery_code";
    public const string Passkey = "passkey";

    public bool Has(string method) => Methods.Contains(method, StringComparer.Ordinal);

    /// <summary>Whether the account has a second factor; without one, a second-factor level takes the password.</summary>
    public bool HasSecondFactor => Has(Authenticator) || Has(RecoveryCode) || Has(Passkey);
}
