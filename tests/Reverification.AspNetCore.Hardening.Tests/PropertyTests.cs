using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// Property-based tests (CsCheck) of each reader and of the decision: agreement with <see cref="ContractReference"/>
/// through the real service for every claim format, monotonicity, and never passing on malformed values.
/// </summary>
public sealed partial class PropertyTests
{
    private const long Iterations = 3000;
    private static readonly long s_now = ReverificationHarness.Now.ToUnixTimeSeconds();
    private static readonly string[] s_presets = ["strict_mfa", "strict", "moderate", "lax"];

    private static string S(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ClaimsPrincipal User(IEnumerable<Claim> claims) => new(new ClaimsIdentity(claims, "Bearer"));

    // ---- generators -------------------------------------------------------------------------------------------

    private static readonly Gen<ReverificationFactors> s_factors = Gen.OneOf(ReverificationFactors.FirstFactor, ReverificationFactors.SecondFactor, ReverificationFactors.MultiFactor);

    /// <summary>Max ages in half minutes (exact in binary), from 30 seconds to 24 hours.</summary>
    private static readonly Gen<double> s_maxAge = Gen.Int[1, 2880].Select(static i => i / 2.0);

    /// <summary>An age in seconds near the interesting values for max age <paramref name="m"/>: never, anything, the boundary.</summary>
    private static Gen<long?> AgeNear(double m) => Gen.Frequency(
        (1, Gen.Const(default(long?))),
        (4, Gen.Long[-60, (long)(3 * m * 60) + 120].Select(static x => (long?)x)),
        (2, Gen.Long[-2, 2].Select(d => (long?)((long)(m * 60) + d))),
        (1, Gen.Long[-600, -61].Select(static x => (long?)x)));

    private static readonly Gen<(double M, ReverificationFactors F, long? A1, long? A2)> s_decisionInput =
        s_maxAge.SelectMany(m => Gen.Select(s_factors, AgeNear(m), AgeNear(m), (f, a1, a2) => (m, f, a1, a2)));

    private static ReverificationLevel Level(double m, ReverificationFactors f) => ReverificationLevel.Create(f, m);

    // ---- agreement with the reference, per format ---------------------------------------------------------------

    [Fact]
    public void Timestamps_Decision_AgreesWithTheContractTable()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        s_decisionInput.Sample((m, f, a1, a2) =>
        {
            var claims = new List<Claim>();
            if (a1 is { } x)
            {
                claims.Add(new Claim("f1_verified_at", S(s_now - x)));
            }

            if (a2 is { } y)
            {
                claims.Add(new Claim("f2_verified_at", S(s_now - y)));
            }

            var passed = harness.Service.Check(User(claims), Level(m, f)) == ReverificationOutcome.Passed;
            return passed == ContractReference.Passes(a1, a2, f, m);
        }, iter: Iterations);
    }

    [Fact]
    public void ClerkFva_Decision_AgreesWithTheContractTable()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.ClerkFva);
        var input = s_maxAge.SelectMany(m => Gen.Select(
            s_factors,
            Gen.Frequency((1, Gen.Const(-1L)), (5, Gen.Long[0, (long)(3 * m) + 2])),
            Gen.Frequency((1, Gen.Const(-1L)), (5, Gen.Long[0, (long)(3 * m) + 2])),
            Gen.Frequency((2, Gen.Const(0L)), (3, Gen.Long[-60, 3000])),
            Gen.Bool,
            (f, m1, m2, tokenAge, split) => (m, f, m1, m2, tokenAge, split)));
        input.Sample((m, f, m1, m2, tokenAge, split) =>
        {
            var iat = s_now - tokenAge;
            List<Claim> claims = split
                ? [new("fva", S(m1), ClaimValueTypes.Integer), new("fva", S(m2), ClaimValueTypes.Integer), new("iat", S(iat))]
                : [new("fva", $"[{S(m1)},{S(m2)}]", "JSON_ARRAY"), new("iat", S(iat))];
            long? a1 = m1 < 0 ? null : (m1 * 60) + tokenAge;
            long? a2 = m2 < 0 ? null : (m2 * 60) + tokenAge;
            var passed = harness.Service.Check(User(claims), Level(m, f)) == ReverificationOutcome.Passed;
            return passed == ContractReference.Passes(a1, a2, f, m);
        }, iter: Iterations);
    }

    [Fact]
    public void OpenIdConnect_Decision_AgreesWithTheContractTable()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.OpenIdConnect);
        var input = s_maxAge.SelectMany(m => Gen.Select(s_factors, AgeNear(m), Gen.Bool, Gen.Bool, (f, a, mfa, asArray) => (m, f, a, mfa, asArray)));
        input.Sample((m, f, a, mfa, asArray) =>
        {
            var claims = new List<Claim>();
            if (a is { } age)
            {
                claims.Add(new Claim("auth_time", S(s_now - age)));
            }

            var methods = mfa ? new[] { "pwd", "otp" } : ["pwd"];
            if (asArray)
            {
                claims.Add(new Claim("amr", "[" + string.Join(',', methods.Select(static x => $"\"{x}\"")) + "]"));
            }
            else
            {
                claims.AddRange(methods.Select(static x => new Claim("amr", x)));
            }

            var passed = harness.Service.Check(User(claims), Level(m, f)) == ReverificationOutcome.Passed;
            return passed == ContractReference.Passes(a, a is not null && mfa ? a : null, f, m);
        }, iter: Iterations);
    }

    [Fact]
    public void SupabaseAmr_Decision_AgreesWithTheContractTable()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.SupabaseAmr);
        var method = Gen.OneOf("password", "otp", "oauth", "totp", "mfa/phone", "webauthn", "unknown-method");
        var input = s_maxAge.SelectMany(m => Gen.Select(
            s_factors,
            Gen.Select(method, AgeNear(m).Where(static a => a is not null).Select(static a => a!.Value)).Array[0, 4],
            Gen.Bool,
            (f, entries, asArray) => (m, f, entries, asArray)));
        input.Sample((m, f, entries, asArray) =>
        {
            var objects = entries.Select(e => $"{{\"method\":\"{e.Item1}\",\"timestamp\":{S(s_now - e.Item2)}}}").ToList();
            List<Claim> claims = asArray
                ? [new("amr", "[" + string.Join(',', objects) + "]", "JSON_ARRAY")]
                : [.. objects.Select(static o => new Claim("amr", o, "JSON"))];
            var first = entries.Where(static e => e.Item1 is "password" or "otp" or "oauth").Select(static e => (long?)e.Item2).Min();
            var second = entries.Where(static e => e.Item1 is "totp" or "mfa/phone" or "webauthn").Select(static e => (long?)e.Item2).Min();

            // Any entry in the future beyond the skew is malformed, whichever group it is in.
            var future = entries.Any(static e => e.Item1 != "unknown-method" && e.Item2 < -ContractReference.SkewSeconds);
            var passed = harness.Service.Check(User(claims), Level(m, f)) == ReverificationOutcome.Passed;
            return passed == (!future && ContractReference.Passes(first, second, f, m));
        }, iter: Iterations);
    }

    [Fact]
    public void Presets_Decision_AgreesWithTheContractTable()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        Gen.Select(Gen.OneOf(s_presets), AgeNear(10), AgeNear(60), AgeNear(1440)).Sample((name, a, b, c) =>
        {
            ReverificationLevel.TryGetPreset(name, out var level);
            foreach (var (x, y) in new[] { (a, b), (b, c), (a, c) })
            {
                var claims = new List<Claim>();
                if (x is { } f1)
                {
                    claims.Add(new Claim("f1_verified_at", S(s_now - f1)));
                }

                if (y is { } f2)
                {
                    claims.Add(new Claim("f2_verified_at", S(s_now - f2)));
                }

                var passed = harness.Service.Check(User(claims), name) == ReverificationOutcome.Passed;
                if (passed != ContractReference.Passes(x, y, level!.Factors, level.MaxAgeMinutes))
                {
                    return false;
                }
            }

            return true;
        }, iter: Iterations);
    }

    // ---- monotonicity ---------------------------------------------------------------------------------------------

    [Fact]
    public void Decide_FresherVerification_NeverTurnsAPassIntoADeny()
    {
        var input = Gen.Select(s_decisionInput, Gen.Long[0, 200_000], Gen.Long[0, 200_000], Gen.Bool, Gen.Bool);
        input.Sample((d, fresher1, fresher2, verifyNever1, verifyNever2) =>
        {
            var (m, f, a1, a2) = d;
            if (a1 < 0 || a2 < 0)
            {
                return true; // the decision takes ages; future times are the reader's and the evaluator's concern
            }

            var before = ReverificationEvaluator.Decide(Age(a1), Age(a2), f, TimeSpan.FromMinutes(m));

            // Fresher: an older verification becomes more recent; "never" may become "just now".
            var b1 = a1 is { } x ? Math.Max(0, x - fresher1) : verifyNever1 ? 0 : (long?)null;
            var b2 = a2 is { } y ? Math.Max(0, y - fresher2) : verifyNever2 ? 0 : (long?)null;
            var after = ReverificationEvaluator.Decide(Age(b1), Age(b2), f, TimeSpan.FromMinutes(m));
            return !before || after;
        }, iter: 20_000);
    }

    [Fact]
    public void Check_FresherTimestampClaims_NeverTurnAPassIntoADeny()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        var input = Gen.Select(s_decisionInput, Gen.Long[0, 5000], Gen.Long[0, 5000]);
        input.Sample((d, fresher1, fresher2) =>
        {
            var (m, f, a1, a2) = d;
            ClaimsPrincipal Principal(long? x, long? y)
            {
                var claims = new List<Claim>();
                if (x is { } f1)
                {
                    claims.Add(new Claim("f1_verified_at", S(s_now - f1)));
                }

                if (y is { } f2)
                {
                    claims.Add(new Claim("f2_verified_at", S(s_now - f2)));
                }

                return User(claims);
            }

            if (a1 < 0 || a2 < 0)
            {
                return true;
            }

            var level = Level(m, f);
            var before = harness.Service.Check(Principal(a1, a2), level) == ReverificationOutcome.Passed;
            var after = harness.Service.Check(Principal(a1 - fresher1 < 0 ? 0 : a1 - fresher1, a2 - fresher2 < 0 ? 0 : a2 - fresher2), level) == ReverificationOutcome.Passed;
            return !before || after;
        }, iter: Iterations);
    }

    [Fact]
    public void Decide_LongerMaxAge_NeverTurnsAPassIntoADeny()
    {
        Gen.Select(s_decisionInput, Gen.Int[0, 2880]).Sample((d, extraHalfMinutes) =>
        {
            var (m, f, a1, a2) = d;
            if (a1 < 0 || a2 < 0)
            {
                return true;
            }

            return !ReverificationEvaluator.Decide(Age(a1), Age(a2), f, TimeSpan.FromMinutes(m))
                || ReverificationEvaluator.Decide(Age(a1), Age(a2), f, TimeSpan.FromMinutes(m + (extraHalfMinutes / 2.0)));
        }, iter: 20_000);
    }

    private static TimeSpan? Age(long? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    // ---- never passes on malformed values -------------------------------------------------------------------------

    private static readonly string[] s_junk =
        [" ", "\t", "\n", "+", "-", "e", "E", "e1", ".", ",", "\"", "x", "\u0660", "\uff10", "\u0966", "\u00a0", "\u200b", "0", "[", "]", "{", "NaN", "\u0000"];

    /// <summary>A canonical value with junk inserted somewhere, or a sign/zero prefix; filtered to non-canonical.</summary>
    private static Gen<string> Corrupt(string canonical, Regex valid)
        => Gen.Select(Gen.OneOf(s_junk), Gen.Int[0, canonical.Length], Gen.Int[0, 2])
            .Select((junk, at, times) => canonical.Insert(at, string.Concat(Enumerable.Repeat(junk, times + 1))))
            .Where(s => !valid.IsMatch(s));

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,9})?\z")]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"^(-1|0|[1-9][0-9]{0,17})\z")]
    private static partial Regex FvaElement();

    [GeneratedRegex(@"^[ \t\r\n]*\[[ \t\r\n]*(-1|0|[1-9][0-9]{0,17})[ \t\r\n]*,[ \t\r\n]*(-1|0|[1-9][0-9]{0,17})[ \t\r\n]*\][ \t\r\n]*\z")]
    private static partial Regex FvaArray();

    private static readonly Gen<long> s_freshAge = Gen.Long[0, 300];

    [Fact]
    public void Timestamps_MalformedValue_NeverPasses()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        s_freshAge.SelectMany(a => Gen.Select(Corrupt(S(s_now - a), UnixSeconds()), Gen.Bool, (bad, first) => (a, bad, first))).Sample((a, bad, first) =>
        {
            List<Claim> claims = first
                ? [new("f1_verified_at", bad), new("f2_verified_at", S(s_now - a))]
                : [new("f1_verified_at", S(s_now - a)), new("f2_verified_at", bad)];
            return harness.Service.Check(User(claims), "lax") == ReverificationOutcome.MalformedClaims;
        }, iter: Iterations);
    }

    [Fact]
    public void ClerkFva_MalformedValue_NeverPasses()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.ClerkFva);
        var single = Corrupt("[0,0]", FvaArray()).Select(static v => (List<Claim>)[new("fva", v), new("iat", S(s_now))]);
        var split = Gen.Select(Corrupt("0", FvaElement()), Gen.Bool).Select(static (v, first) =>
            (List<Claim>)[new("fva", first ? v : "0"), new("fva", first ? "0" : v), new("iat", S(s_now))]);
        var iat = Corrupt(S(s_now), UnixSeconds()).Select(static v => (List<Claim>)[new("fva", "[0,0]"), new("iat", v)]);
        Gen.OneOf(single, split, iat).Sample(claims => harness.Service.Check(User(claims), "lax") == ReverificationOutcome.MalformedClaims, iter: Iterations);
    }

    [Fact]
    public void OpenIdConnect_MalformedValue_NeverPasses()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.OpenIdConnect);
        var authTime = s_freshAge.SelectMany(a => Corrupt(S(s_now - a), UnixSeconds())).Select(static v => (List<Claim>)[new("auth_time", v), new("amr", "mfa")]);
        var amrArray = Corrupt("[\"pwd\",\"mfa\"]", NeverValid()).Where(static v => v.StartsWith('[') && !IsJsonArrayOfStrings(v))
            .Select(static v => (List<Claim>)[new("auth_time", S(s_now)), new("amr", v)]);
        Gen.OneOf(authTime, amrArray).Sample(claims => harness.Service.Check(User(claims), "lax") == ReverificationOutcome.MalformedClaims, iter: Iterations);
    }

    [Fact]
    public void SupabaseAmr_MalformedTimestamp_NeverPasses()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.SupabaseAmr);
        s_freshAge.SelectMany(a => Corrupt(S(s_now - a), UnixSeconds()))
            .Where(static v => !UnixSeconds().IsMatch(v.Trim(' ', '\t', '\n', '\r')))
            .Sample(bad =>
            {
                List<Claim> claims = [new("amr", "{\"method\":\"password\",\"timestamp\":" + S(s_now) + "}"), new("amr", "{\"method\":\"totp\",\"timestamp\":" + bad + "}")];
                return harness.Service.Check(User(claims), "lax") == ReverificationOutcome.MalformedClaims;
            }, iter: Iterations);
    }

    [GeneratedRegex("(?!)")]
    private static partial Regex NeverValid();

    private static bool IsJsonArrayOfStrings(string value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(value));
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
                && document.RootElement.EnumerateArray().All(static e => e.ValueKind == System.Text.Json.JsonValueKind.String);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    // ---- readers: canonical input reads back exactly -------------------------------------------------------------

    [Fact]
    public void TimestampReader_CanonicalValues_ReadBackExactly()
    {
        var reader = new TimestampClaimsReader("f1_verified_at", "f2_verified_at");
        Gen.Select(Gen.Long[0, ClaimValueParser.MaxUnixSeconds], Gen.Long[0, ClaimValueParser.MaxUnixSeconds], Gen.Int[0, 999_999_999], Gen.Bool).Sample((a, b, fraction, withFraction) =>
        {
            var times = reader.Read(User([new("f1_verified_at", S(a)), new("f2_verified_at", S(b) + (withFraction ? "." + fraction.ToString(CultureInfo.InvariantCulture) : string.Empty))]));
            return times.Status == VerificationClaimsStatus.Found
                && times.FirstFactorVerifiedAt == DateTimeOffset.FromUnixTimeSeconds(a)
                && times.SecondFactorVerifiedAt == DateTimeOffset.FromUnixTimeSeconds(b);
        }, iter: 10_000);
    }
}
