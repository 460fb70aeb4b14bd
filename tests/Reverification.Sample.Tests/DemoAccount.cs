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

    /// <summary>The code an authenticator app shows at <paramref name="at"/> (the sample checks codes on its own clock).</summary>
    public static string CodeAt(string secret, DateTimeOffset at) => NewTotp(secret).ComputeTotp(at.UtcDateTime);

    /// <summary>The code of the 30-second time step number <paramref name="step"/> (Unix seconds / 30).</summary>
    public static string CodeAtStep(string secret, long step) => CodeAt(secret, DateTimeOffset.FromUnixTimeSeconds(step * 30));

    /// <summary>A well-formed code that is not valid in any step accepted around <paramref name="at"/>.</summary>
    public static string WrongCode(string secret, DateTimeOffset at)
    {
        var totp = NewTotp(secret);
        var valid = Enumerable.Range(-4, 9).Select(step => totp.ComputeTotp(at.UtcDateTime.AddSeconds(step * 30))).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, 10).Select(i => new string((char)('0' + i), 6)).First(code => !valid.Contains(code));
    }

    /// <summary>A new random authenticator key (160 bits, base32), as an app would show it at enrolment.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    private static Totp NewTotp(string secret) => new(Base32Encoding.ToBytes(secret));
}

/// <summary>An account a test created for itself (<see cref="SampleAppFixture.CreateUserAsync"/>).</summary>
/// <param name="Secret">The authenticator key (base32), or null for an account with a password only.</param>
public sealed record TestAccount(string Email, string Password, string? Secret);
