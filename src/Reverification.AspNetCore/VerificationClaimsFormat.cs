namespace Reverification.AspNetCore;

/// <summary>
/// Where the reverification handler reads the times of the user's last verifications from.
/// </summary>
public enum VerificationClaimsFormat
{
    /// <summary>
    /// The library's own format (the default): one claim per factor holding the Unix time, in seconds, of its last
    /// verification (<see cref="ReverificationOptions.FirstFactorClaimType"/>,
    /// <see cref="ReverificationOptions.SecondFactorClaimType"/>). A missing claim means that factor was never verified.
    /// </summary>
    Timestamps = 0,

    /// <summary>
    /// Clerk's session token: <c>fva</c> = <c>[first factor age, second factor age]</c> in minutes as of the token's
    /// <c>iat</c>, <c>-1</c> for never; read both as one JSON-array claim and as the two claims ASP.NET Core's JWT
    /// handlers make of an array. The token's age is added.
    /// </summary>
    ClerkFva = 1,

    /// <summary>
    /// OpenID Connect: <c>auth_time</c> is the first factor's time; the second factor counts as verified at
    /// <c>auth_time</c> when <c>amr</c> holds a method of <see cref="ReverificationOptions.OpenIdConnectSecondFactorMethods"/>.
    /// </summary>
    OpenIdConnect = 2,

    /// <summary>
    /// Supabase-style <c>amr</c>: <c>{"method": "...", "timestamp": N}</c> objects; the newest timestamp of each factor
    /// group (<see cref="ReverificationOptions.SupabaseFirstFactorMethods"/>,
    /// <see cref="ReverificationOptions.SupabaseSecondFactorMethods"/>) counts.
    /// </summary>
    SupabaseAmr = 3,
}
