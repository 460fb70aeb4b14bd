namespace Reverification.AspNetCore;

/// <summary>
/// Which authentication factors a <see cref="ReverificationLevel"/> requires to be fresh.
/// </summary>
/// <remarks>
/// When several levels fail on one endpoint, the answer names the one that demands the most: the most factors first
/// (<see cref="MultiFactor"/> counts two, <see cref="FirstFactor"/> and <see cref="SecondFactor"/> one each), then the
/// shortest maximum age; between one-factor levels of the same maximum age, <see cref="SecondFactor"/>.
/// </remarks>
public enum ReverificationFactors
{
    /// <summary>
    /// The first factor (password, email or phone code, passkey, ...) must be fresh. Written <c>first_factor</c>.
    /// </summary>
    FirstFactor = 1,

    /// <summary>
    /// The second factor (TOTP, SMS code, backup code, security key, ...) must be fresh; a user who never
    /// verified a second factor (not enrolled) falls back to the first factor. Written <c>second_factor</c>.
    /// </summary>
    SecondFactor = 2,

    /// <summary>
    /// Both factors must be fresh; a user who never verified a second factor falls back to the first
    /// factor, and a user who never verified the first factor is denied. Written <c>multi_factor</c>.
    /// </summary>
    MultiFactor = 3,
}
