using System.Security.Claims;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Reverification.Fuzz;

/// <summary>A reader under test, the claim types its input lines select, and an independent oracle.</summary>
internal sealed class Target
{
    private Target(string name, IVerificationClaimsReader reader, Dictionary<char, string> claimTypes, Func<IReadOnlyList<Claim>, VerificationTimes> oracle)
    {
        Name = name;
        Reader = reader;
        ClaimTypes = claimTypes;
        Oracle = oracle;
    }

    public string Name { get; }

    public IVerificationClaimsReader Reader { get; }

    public Dictionary<char, string> ClaimTypes { get; }

    public Func<IReadOnlyList<Claim>, VerificationTimes> Oracle { get; }

    public static IReadOnlyList<string> Names { get; } = ["timestamps", "fva", "oidc", "supabase"];

    public static Target Create(string name)
    {
        var options = new ReverificationOptions();
        return name switch
        {
            "timestamps" => new(name, options.CreateReader(),
                new() { ['1'] = "f1_verified_at", ['2'] = "f2_verified_at" }, Oracles.Timestamps),
            "fva" => new(name, Configure(options, VerificationClaimsFormat.ClerkFva.CreateReader()),
                new() { ['f'] = "fva", ['i'] = "iat" }, Oracles.ClerkFva),
            "oidc" => new(name, Configure(options, VerificationClaimsFormat.OpenIdConnect.CreateReader()),
                new() { ['t'] = "auth_time", ['T'] = System.Security.Claims.ClaimTypes.AuthenticationInstant, ['a'] = "amr", ['A'] = Oracles.MappedAmr },
                claims => Oracles.OpenIdConnect(claims, options.OpenIdConnectSecondFactorMethods)),
            "supabase" => new(name, Configure(options, VerificationClaimsFormat.SupabaseAmr.CreateReader()),
                new() { ['a'] = "amr", ['A'] = Oracles.MappedAmr },
                claims => Oracles.Supabase(claims, options.SupabaseFirstFactorMethods, options.SupabaseSecondFactorMethods)),
            _ => throw new ArgumentException($"Unknown target '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static ReverificationOptions Configure(ReverificationOptions options, VerificationClaimsFormat format)
    {
        options.ClaimsFormat = format;
        return options;
    }

    /// <summary>
    /// Reads the input with the library's reader and with the oracle; throws (a crash, for the fuzzer) when the reader
    /// throws or when the two disagree on the status or the times.
    /// </summary>
    public void Check(ReadOnlySpan<byte> data)
    {
        var claims = ClaimsInput.Decode(data, this);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
        var actual = Reader.Read(principal);
        var expected = Oracle(claims);
        if (actual.Status != expected.Status
            || actual.FirstFactorVerifiedAt != expected.FirstFactorVerifiedAt
            || actual.SecondFactorVerifiedAt != expected.SecondFactorVerifiedAt
            || (expected.IssuedAt is not null && actual.IssuedAt != expected.IssuedAt))
        {
            throw new InvalidOperationException(
                $"{Name}: the reader says {Describe(actual)}, the oracle says {Describe(expected)}.");
        }
    }

    private static string Describe(VerificationTimes t)
        => $"{t.Status} (f1 {t.FirstFactorVerifiedAt?.ToUnixTimeSeconds()}, f2 {t.SecondFactorVerifiedAt?.ToUnixTimeSeconds()}, iat {t.IssuedAt?.ToUnixTimeSeconds()})";
}
