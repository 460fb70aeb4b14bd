using OtpNet;

namespace Reverification.Sample.Tests;

/// <summary>The demo accounts as docs/sample.md documents them, and their authenticator codes.</summary>
public static class DemoAccount
{
    public const string TotpEmail = "alice@example.com";
    public const string TotpPassword = "Alice-Demo-1!";
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    public const string PasswordOnlyEmail = "bob@example.com";
    public const string PasswordOnlyPassword = "Bob-Demo-1!";

    /// <summary>The code an authenticator app shows now (the server checks codes against the real time).</summary>
    public static string CurrentCode() => NewTotp().ComputeTotp(DateTime.UtcNow);

    /// <summary>A well-formed code that is not valid in any step the server accepts around now.</summary>
    public static string WrongCode()
    {
        var totp = NewTotp();
        var now = DateTime.UtcNow;
        var valid = Enumerable.Range(-4, 9).Select(step => totp.ComputeTotp(now.AddSeconds(step * 30))).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, 10).Select(i => new string((char)('0' + i), 6)).First(code => !valid.Contains(code));
    }

    private static Totp NewTotp() => new(Base32Encoding.ToBytes(TotpSecret));
}
