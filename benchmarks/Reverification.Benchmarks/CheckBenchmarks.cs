using System.Globalization;
using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Reverification.Benchmarks;

/// <summary>
/// The handler's own check (is the caller authenticated, read the claims, decide) for each claim format, on a
/// principal made by JwtBearer from a signed RS256 token. Level "strict": second factor within 10 minutes.
/// </summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private Case _timestampsPass = null!, _timestampsDeny = null!;
    private Case _fvaSplitPass = null!, _fvaSplitDeny = null!;
    private Case _fvaOneClaimPass = null!, _fvaOneClaimDeny = null!;
    private Case _oidcPass = null!, _oidcDeny = null!;
    private Case _supabasePass = null!, _supabaseDeny = null!;

    [GlobalSetup]
    public void Setup()
    {
        _timestampsPass = new(VerificationClaimsFormat.Timestamps, BenchTokens.Timestamps(120, 60));
        _timestampsDeny = new(VerificationClaimsFormat.Timestamps, BenchTokens.Timestamps(3600, 3600));
        _fvaSplitPass = new(VerificationClaimsFormat.ClerkFva, BenchTokens.Fva(2, 1));
        _fvaSplitDeny = new(VerificationClaimsFormat.ClerkFva, BenchTokens.Fva(60, 60));
        _fvaOneClaimPass = new(VerificationClaimsFormat.ClerkFva, BenchTokens.FvaAsOneClaim(2, 1));
        _fvaOneClaimDeny = new(VerificationClaimsFormat.ClerkFva, BenchTokens.FvaAsOneClaim(60, 60));
        _oidcPass = new(VerificationClaimsFormat.OpenIdConnect, BenchTokens.OpenIdConnect(60));
        _oidcDeny = new(VerificationClaimsFormat.OpenIdConnect, BenchTokens.OpenIdConnect(3600));
        _supabasePass = new(VerificationClaimsFormat.SupabaseAmr, BenchTokens.SupabaseAmr(60));
        _supabaseDeny = new(VerificationClaimsFormat.SupabaseAmr, BenchTokens.SupabaseAmr(3600));
        Case.Expect(_timestampsPass, _fvaSplitPass, _fvaOneClaimPass, _oidcPass, _supabasePass, ReverificationOutcome.Passed);
        Case.Expect(_timestampsDeny, _fvaSplitDeny, _fvaOneClaimDeny, _oidcDeny, _supabaseDeny, ReverificationOutcome.ReverificationRequired);
    }

    [Benchmark(Description = "Timestamps pass")]
    public ReverificationOutcome TimestampsPass() => _timestampsPass.Check();

    [Benchmark(Description = "Timestamps deny")]
    public ReverificationOutcome TimestampsDeny() => _timestampsDeny.Check();

    [Benchmark(Description = "Clerk fva split pass")]
    public ReverificationOutcome ClerkFvaSplitPass() => _fvaSplitPass.Check();

    [Benchmark(Description = "Clerk fva split deny")]
    public ReverificationOutcome ClerkFvaSplitDeny() => _fvaSplitDeny.Check();

    [Benchmark(Description = "Clerk fva one claim pass")]
    public ReverificationOutcome ClerkFvaOneClaimPass() => _fvaOneClaimPass.Check();

    [Benchmark(Description = "Clerk fva one claim deny")]
    public ReverificationOutcome ClerkFvaOneClaimDeny() => _fvaOneClaimDeny.Check();

    [Benchmark(Description = "OIDC auth_time+amr pass")]
    public ReverificationOutcome OpenIdConnectPass() => _oidcPass.Check();

    [Benchmark(Description = "OIDC auth_time+amr deny")]
    public ReverificationOutcome OpenIdConnectDeny() => _oidcDeny.Check();

    [Benchmark(Description = "Supabase amr objects pass")]
    public ReverificationOutcome SupabaseAmrPass() => _supabasePass.Check();

    [Benchmark(Description = "Supabase amr objects deny")]
    public ReverificationOutcome SupabaseAmrDeny() => _supabaseDeny.Check();

    /// <summary>
    /// The floor: a plain loop over the identity's claims that finds <c>fva</c> and <c>iat</c> and span-parses them,
    /// with no clock, no checks for duplicates or malformed values and no decision.
    /// </summary>
    [Benchmark(Description = "Floor: plain loop + span parse (fva)")]
    public long Floor()
    {
        var claims = (List<Claim>)_fvaSplitPass.User.Identities.First().Claims;
        long sum = 0;
        for (var i = 0; i < claims.Count; i++)
        {
            var claim = claims[i];
            if (string.Equals(claim.Type, "fva", StringComparison.Ordinal) || string.Equals(claim.Type, "iat", StringComparison.Ordinal))
            {
                sum += long.Parse(claim.Value.AsSpan(), CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [Benchmark(Description = "Clock: TimeProvider.System.GetUtcNow()")]
    public DateTimeOffset Clock() => TimeProvider.System.GetUtcNow();

    internal VerificationTimes TimestampsReadOnly() => _timestampsPass.Service.Reader.Read(_timestampsPass.User);

    internal ClaimsPrincipal TimestampsUser => _timestampsPass.User;

    internal bool IsAuthenticatedOnly() => ReverificationService.IsAuthenticated(_timestampsPass.User);

    private sealed class Case
    {
        private readonly ReverificationService _service;
        private readonly ClaimsPrincipal _user;

        public Case(VerificationClaimsFormat format, string verification)
        {
            var options = new ReverificationOptions().Use(format);
            _service = new ReverificationService(Options.Create(options), TimeProvider.System, NullLogger<ReverificationService>.Instance);
            _user = BenchTokens.Authenticate(BenchTokens.Sign(BenchTokens.ClerkPayload(verification), BenchTokens.Rs256));
            Shape = BenchTokens.DescribeShape(_user);
        }

        public string Shape { get; }

        public ClaimsPrincipal User => _user;

        public ReverificationService Service => _service;

        public ReverificationOutcome Check() => _service.Check(_user, ReverificationLevel.Strict);

        public static void Expect(Case a, Case b, Case c, Case d, Case e, ReverificationOutcome expected)
        {
            foreach (var item in new[] { a, b, c, d, e })
            {
                var outcome = item.Check();
                if (outcome != expected)
                {
                    throw new InvalidOperationException($"Expected {expected} but got {outcome} ({item.Shape}).");
                }
            }

            Console.WriteLine("// Principal shape: " + a.Shape);
        }
    }
}
