using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reverification.AspNetCore.Tests.Infrastructure;

/// <summary>Issues real signed JWTs for the integration tests.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "reverification-tests";

    public static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-key" };
    public static readonly SymmetricSecurityKey OtherKey = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-key" };

    public static string Create(DateTimeOffset now, IDictionary<string, object> claims, SecurityKey? key = null, TimeSpan? lifetime = null)
    {
        var payload = new Dictionary<string, object>(claims);
        payload.TryAdd("sub", "user-1");
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            Expires = now.UtcDateTime + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = payload,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The library's own claims: Unix seconds of each factor's last verification (null = never).</summary>
    public static Dictionary<string, object> Timestamps(DateTimeOffset now, double? f1MinutesAgo, double? f2MinutesAgo)
    {
        var claims = new Dictionary<string, object>();
        if (f1MinutesAgo is { } f1)
        {
            claims["f1_verified_at"] = now.AddMinutes(-f1).ToUnixTimeSeconds();
        }

        if (f2MinutesAgo is { } f2)
        {
            claims["f2_verified_at"] = now.AddMinutes(-f2).ToUnixTimeSeconds();
        }

        return claims;
    }

    /// <summary>Clerk's fva as a JSON array (the JWT handler splits it into two claims).</summary>
    public static Dictionary<string, object> Fva(int f1, int f2) => new() { ["fva"] = new[] { f1, f2 } };

    public static Dictionary<string, object> Oidc(DateTimeOffset authTime, params string[] amr)
        => new() { ["auth_time"] = authTime.ToUnixTimeSeconds(), ["amr"] = amr };

    public static Dictionary<string, object> Supabase(params (string Method, DateTimeOffset At)[] entries)
        => new()
        {
            ["amr"] = entries.Select(e => new Dictionary<string, object> { ["method"] = e.Method, ["timestamp"] = e.At.ToUnixTimeSeconds() }).ToArray(),
        };

    public static TokenValidationParameters ValidationParameters(TimeProvider time) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
        ClockSkew = TimeSpan.Zero,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore <= now) && (expires is null || expires > now);
        },
    };

    public static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    public static Claim Claim(string type, long value) => new(type, value.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
}
