using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;
using Reverification.Sample.Data;

namespace Reverification.Sample.Security;

/// <summary>Issues the sample's access tokens (JWT, HMAC-SHA256) with the library's verification claims.</summary>
public sealed class TokenIssuer(
    SigningKeyStore keys,
    ReverificationRecorder recorder,
    TimeProvider clock,
    IOptions<SampleOptions> options)
{
    public const string Issuer = "reverification-sample";
    public const string Audience = "reverification-sample-api";

    /// <summary>The first factor's claim of the library's timestamp format (its default name), which the recorder writes.</summary>
    public const string FirstFactorClaimType = "f1_verified_at";

    /// <summary>The second factor's claim of the library's timestamp format (its default name).</summary>
    public const string SecondFactorClaimType = "f2_verified_at";
    public const string TwoFactorClaim = "two_factor_enabled";

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>A token for <paramref name="user"/>, recording that <paramref name="verified"/> was checked now.</summary>
    /// <param name="user">The user.</param>
    /// <param name="verified">The factors the app checked just now.</param>
    /// <param name="current">The current principal, whose other factor's time is kept (reverification); null at sign-in.</param>
    public string Issue(SampleUser user, ReverificationFactors verified, ClaimsPrincipal? current)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var identity = new ClaimsIdentity(
        [
            new Claim(JwtRegisteredClaimNames.Sub, user.Id),
            new Claim(JwtRegisteredClaimNames.Email, user.Email ?? ""),
            new Claim("name", user.DisplayName),
            new Claim(TwoFactorClaim, user.TwoFactorEnabled ? "true" : "false", ClaimValueTypes.Boolean),
        ]);
        identity.AddClaims(recorder.CreateClaims(verified, current));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = identity,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.TokenLifetime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>Validation parameters that read the time from the app's <see cref="TimeProvider"/>.</summary>
    public static TokenValidationParameters CreateValidationParameters(SigningKeyStore keys, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(clock);
        var skew = TimeSpan.FromMinutes(1);
        return new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = keys.Key,
            NameClaimType = "name",
            ValidateLifetime = true,
            // JwtBearer checks nbf/exp against DateTime.UtcNow unless told otherwise; the sample's clock can be moved
            // by the tests, so the lifetime is checked against the same TimeProvider that issued the token.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + skew && (notBefore is not { } nbf || nbf <= now + skew);
            },
        };
    }

    internal static string? ReadUserId(ClaimsPrincipal user)
        => user.FindFirstValue(JwtRegisteredClaimNames.Sub);

    internal static DateTimeOffset? ReadUnixTime(ClaimsPrincipal user, string type)
        => long.TryParse(user.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
