using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reverification.Benchmarks;

/// <summary>
/// Signs tokens shaped like real ones and turns them into principals the way production does: through JwtBearer's
/// handler (JsonWebTokenHandler underneath, default inbound claim mapping), so an <c>fva</c> array arrives as two
/// integer claims and <c>amr</c> objects as one JSON claim each.
/// </summary>
public static class BenchTokens
{
    public const string Issuer = "https://clerk.bench.example";

    private static readonly Lazy<RsaSecurityKey> s_rsaKey = new(() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench-rs256" });
    private static readonly Lazy<SymmetricSecurityKey> s_hmacKey = new(() => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "bench-hs256" });

    public static RsaSecurityKey RsaKey => s_rsaKey.Value;

    public static SymmetricSecurityKey HmacKey => s_hmacKey.Value;

    public static SigningCredentials Rs256 => new(RsaKey, SecurityAlgorithms.RsaSha256);

    public static SigningCredentials Hs256 => new(HmacKey, SecurityAlgorithms.HmacSha256);

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Parameters as an app validating Clerk session tokens sets them (Clerk tokens carry no <c>aud</c>).</summary>
    public static TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidateAudience = false,
        ValidateLifetime = true,
        IssuerSigningKeys = [RsaKey, HmacKey],
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// A Clerk session token's payload with the verification members last, after <paramref name="extraClaims"/>
    /// filler claims (so the walker meets every other claim first).
    /// </summary>
    public static string ClerkPayload(string verification, int extraClaims = 0)
    {
        var now = Now;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""{"azp":"http://localhost:3000","exp":{{now + 3600}},"fea":"u:sso","iat":{{now}},"iss":"{{Issuer}}","jti":"5f2a0c7e1b9d4e3a8c6f","nbf":{{now - 5}},"pla":"u:free","sid":"sess_2lHv7qYdZxQp0bN3mK8wJ","sts":"active","sub":"user_2lHv6fTqXa9bWcL1pR3sD","v":2""");
        for (var i = 0; i < extraClaims; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"x{i}\":\"value-{i}\"");
        }

        if (verification.Length > 0)
        {
            sb.Append(',').Append(verification);
        }

        sb.Append('}');
        return sb.ToString();
    }

    public static string Sign(string payload, SigningCredentials credentials)
        => new JsonWebTokenHandler().CreateToken(payload, credentials);

    /// <summary>The <c>fva</c> member: minutes since each factor (-1: never).</summary>
    public static string Fva(int firstMinutes, int secondMinutes)
        => string.Create(CultureInfo.InvariantCulture, $"\"fva\":[{firstMinutes},{secondMinutes}]");

    /// <summary>The <c>fva</c> member as one string claim holding the JSON array (one claim, as a cookie ticket keeps it).</summary>
    public static string FvaAsOneClaim(int firstMinutes, int secondMinutes)
        => string.Create(CultureInfo.InvariantCulture, $"\"fva\":\"[{firstMinutes},{secondMinutes}]\"");

    public static string Timestamps(long firstAgeSeconds, long secondAgeSeconds)
        => string.Create(CultureInfo.InvariantCulture, $"\"f1_verified_at\":{Now - firstAgeSeconds},\"f2_verified_at\":{Now - secondAgeSeconds}");

    public static string OpenIdConnect(long ageSeconds)
        => string.Create(CultureInfo.InvariantCulture, $"\"auth_time\":{Now - ageSeconds},\"amr\":[\"pwd\",\"otp\"]");

    public static string SupabaseAmr(long ageSeconds)
        => string.Create(CultureInfo.InvariantCulture, $$"""
            "amr":[{"method":"password","timestamp":{{Now - ageSeconds - 30}}},{"method":"totp","timestamp":{{Now - ageSeconds}}}]
            """);

    /// <summary>Validates <paramref name="token"/> with JwtBearer's handler, as the authentication middleware does.</summary>
    public static ClaimsPrincipal Authenticate(string token)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = ValidationParameters())
            .Services
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Authorization = "Bearer " + token;
        var result = context.AuthenticateAsync().GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The benchmark token did not validate: " + result.Failure?.Message);
        }

        return result.Principal;
    }

    /// <summary>Describes the collections the claims walker meets, to check its fast path applies.</summary>
    public static string DescribeShape(ClaimsPrincipal principal)
    {
        var identity = principal.Identities.First();
        return $"principal.Identities: {principal.Identities.GetType().Name}; identity: {identity.GetType().Name}; "
            + $"identity.Claims: {identity.Claims.GetType().Name}; claims: {identity.Claims.Count()}";
    }
}
