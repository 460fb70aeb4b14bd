namespace Reverification.Client;

/// <summary>
/// Which authentication factors a <see cref="ReverificationChallenge"/> asks the user to verify again.
/// </summary>
/// <remarks>
/// The values and their meaning are those of the server library's <c>ReverificationFactors</c>; the client has its own
/// copy so that it does not depend on ASP.NET Core.
/// </remarks>
public enum ReverificationFactors
{
    /// <summary>The first factor (password, email or phone code, passkey, ...). Written <c>first_factor</c>.</summary>
    FirstFactor = 1,

    /// <summary>
    /// The second factor (TOTP, SMS code, backup code, security key, ...). A user who has no second factor verifies
    /// the first factor instead. Written <c>second_factor</c>.
    /// </summary>
    SecondFactor = 2,

    /// <summary>
    /// Both factors (a user who has no second factor verifies the first factor only). Written <c>multi_factor</c>.
    /// </summary>
    MultiFactor = 3,
}
