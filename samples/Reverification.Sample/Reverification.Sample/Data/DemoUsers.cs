namespace Reverification.Sample.Data;

/// <summary>
/// The demo accounts seeded on first run (documented in docs/sample.md). Demo only: never seed known credentials in a
/// real app.
/// </summary>
public static class DemoUsers
{
    /// <summary>Signs in with a password and an authenticator-app code (TOTP).</summary>
    public const string TotpEmail = "alice@example.com";

    public const string TotpPassword = "Alice-Demo-1!";

    /// <summary>The authenticator key (base32, RFC 4648) of <see cref="TotpEmail"/>: add it to an authenticator app.</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    /// <summary>Signs in with a password only (no second factor).</summary>
    public const string PasswordOnlyEmail = "bob@example.com";

    public const string PasswordOnlyPassword = "Bob-Demo-1!";

    public const decimal StartingBalance = 1000m;
}
