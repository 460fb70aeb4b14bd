using OtpNet;

namespace Reverification.Sample.Tests;

/// <summary>The demo accounts as docs/sample.md documents them, and authenticator codes.</summary>
public static class DemoAccount
{
    public const string TotpEmail = "alice@example.com";
    public const string TotpPassword = "Alice-Demo-1!";
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    public const string PasswordOnlyEmail = "bob@example.com";
    public const string PasswordOnlyPassword = "Bob-Demo-1!";

    /// <summary>The code an authenticator app shows now (the server checks codes against the real time).</summary>
    public static string CurrentCode(string secret = TotpSecret) => NewTotp(secret).ComputeTotp(DateTime.UtcNow);

    /// <summary>A well-formed code that is not valid in any step the server accepts around now.</summary>
    public static string WrongCode(string secret = TotpSecret)
    {
        var totp = NewTotp(secret);
        var now = DateTime.UtcNow;
        var valid = Enumerable.Range(-4, 9).Select(step => totp.ComputeTotp(now.AddSeconds(step * 30))).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, 10).Select(i => new string((char)('0' + i), 6)).First(code => !valid.Contains(code));
    }

    /// <summary>A new random authenticator key (160 bits, base32), as an app would show it at enrolment.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    private static Totp NewTotp(string secret) => new(Base32Encoding.ToBytes(secret));
}

/// <summary>An account a test created for itself (<see cref="SampleAppFixture.CreateUserAsync"/>).</summary>
/// <param name="Secret">The authenticator key (base32), or null for an account with a password only.</param>
public sealed record TestAccount(string Email, string Password, string? Secret);
