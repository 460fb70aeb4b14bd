using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace Reverification.Benchmarks;

/// <summary>Turns BenchmarkDotNet's summaries into the table of figures, ratios and targets (medians throughout).</summary>
internal static class MicroReport
{
    private sealed record Row(string Type, string Method, string Parameters, double MedianNs, long? Allocated);

    public static string Create(IReadOnlyList<Summary> summaries, string job)
    {
        var rows = summaries.SelectMany(static s => s.Reports)
            .Where(static r => r.ResultStatistics is not null)
            .Select(static r => new Row(
                r.BenchmarkCase.Descriptor.Type.Name,
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                r.BenchmarkCase.Parameters.DisplayInfo,
                r.ResultStatistics!.Median,
                r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase)))
            .ToList();

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Micro (BenchmarkDotNet 0.15.8, {job}, medians, [MemoryDiagnoser])");
        sb.AppendLine();
        Check(sb, rows);
        Authorization(sb, rows);
        Deny(sb, rows);
        Growth(sb, rows);
        Client(sb, rows);
        StampCheck(sb, rows);
        return sb.ToString();
    }

    private static Row? Find(List<Row> rows, string type, string method, string parameters = "")
        => rows.FirstOrDefault(r => r.Type == type && r.Method == method && (parameters.Length == 0 || r.Parameters == parameters));

    private static string Ns(double ns) => ns >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1000:F1} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{ns:F1} ns");

    private static string Bytes(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b} B") : "?";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Check(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(CheckBenchmarks);
        if (!rows.Any(static r => r.Type == type))
        {
            return;
        }

        sb.AppendLine("**The handler's check** (authenticated? read the claims, decide; level `strict`), principal from JwtBearer on an RS256 token:");
        sb.AppendLine();
        sb.AppendLine("| Claim format | Pass | Pass alloc | Deny | Deny alloc | Target | Met |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var (label, method, fast) in new[]
        {
            ("Timestamps (`f1_verified_at`, `f2_verified_at`)", "Timestamps", true),
            ("Clerk `fva`, split into two claims (JWT array)", "ClerkFvaSplit", true),
            ("Clerk `fva`, one claim `\"[2,1]\"`", "ClerkFvaOneClaim", true),
            ("OIDC `auth_time` + `amr`", "OpenIdConnect", false),
            ("Supabase `amr` objects", "SupabaseAmr", false),
        })
        {
            var pass = Find(rows, type, method + "Pass");
            var deny = Find(rows, type, method + "Deny");
            if (pass is null || deny is null)
            {
                continue;
            }

            var met = pass.Allocated == 0 && (!fast || (pass.MedianNs <= 50 && deny.MedianNs <= 50));
            var target = fast ? "0 B on pass, <= 50 ns" : "0 B on pass";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ns(pass.MedianNs)} | {Bytes(pass.Allocated)} | {Ns(deny.MedianNs)} | {Bytes(deny.Allocated)} | {target} | {Met(met)} |");
        }

        sb.AppendLine();
        var floor = Find(rows, type, nameof(CheckBenchmarks.Floor));
        var clock = Find(rows, type, nameof(CheckBenchmarks.Clock));
        var timestamps = Find(rows, type, "TimestampsPass");
        var fva = Find(rows, type, "ClerkFvaSplitPass");
        if (floor is not null && clock is not null && timestamps is not null && fva is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"For reference, in the same run: a plain loop over the same 14 claims that finds `fva` and `iat` and span-parses them (no clock, no duplicate or format checks, no decision) takes {Ns(floor.MedianNs)}; reading the clock once (`TimeProvider.System.GetUtcNow()`, which every check needs to judge an age) takes {Ns(clock.MedianNs)}. ");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Without the clock, the check is {Ns(timestamps.MedianNs - clock.MedianNs)} (timestamps) and {Ns(fva.MedianNs - clock.MedianNs)} (`fva` split), against the floor's {Ns(floor.MedianNs)}.");
            sb.AppendLine();
        }
    }

    private static void Authorization(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(AuthorizationBenchmarks);
        var baseline = Find(rows, type, nameof(AuthorizationBenchmarks.Authorize));
        if (baseline is null)
        {
            return;
        }

        sb.AppendLine("**Through `IAuthorizationService.AuthorizeAsync`** (same principal; Clerk `fva` format):");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Median | Ratio | Allocated |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (label, method) in new[]
        {
            ("`[Authorize]` (baseline, library not registered)", nameof(AuthorizationBenchmarks.Authorize)),
            ("`[Authorize]`, library registered", nameof(AuthorizationBenchmarks.Registered)),
            ("`[Authorize]` + `RequireClaim(\"fva\")`", nameof(AuthorizationBenchmarks.RequireClaim)),
            ("`[Authorize]` + `RequireReverification(\"strict\")`", nameof(AuthorizationBenchmarks.Reverification)),
            ("`JsonWebTokenHandler.ValidateTokenAsync`, RS256", nameof(AuthorizationBenchmarks.ValidateRs256)),
            ("`JsonWebTokenHandler.ValidateTokenAsync`, HS256", nameof(AuthorizationBenchmarks.ValidateHs256)),
        })
        {
            if (Find(rows, type, method) is { } row)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ns(row.MedianNs)} | {row.MedianNs / baseline.MedianNs:F2} | {Bytes(row.Allocated)} |");
            }
        }

        sb.AppendLine();
        var registered = Find(rows, type, nameof(AuthorizationBenchmarks.Registered));
        var claim = Find(rows, type, nameof(AuthorizationBenchmarks.RequireClaim));
        var reverified = Find(rows, type, nameof(AuthorizationBenchmarks.Reverification));
        if (registered is null || claim is null || reverified is null)
        {
            return;
        }

        var addsReverification = reverified.MedianNs - baseline.MedianNs;
        var addsClaim = claim.MedianNs - baseline.MedianNs;
        var extraBytes = reverified.Allocated - baseline.Allocated;
        var registeredRatio = registered.MedianNs / baseline.MedianNs;
        sb.AppendLine("| Target | Figure | Met |");
        sb.AppendLine("| --- | --- | --- |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Reverification adds less time than `RequireClaim` adds | +{addsReverification:F1} ns vs +{addsClaim:F1} ns | {Met(addsReverification < addsClaim)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Reverification allocates <= 40 B over `[Authorize]` | +{extraBytes} B | {Met(extraBytes <= 40)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| An endpoint without reverification pays <= 5% for the library being registered | x{registeredRatio:F3} ({(registeredRatio - 1) * 100:+0.0;-0.0}%) | {Met(registeredRatio <= 1.05)} |");
        sb.AppendLine();
    }

    private static void Deny(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(DenyBenchmarks);
        var pass = Find(rows, type, nameof(DenyBenchmarks.Pass));
        if (pass is null)
        {
            return;
        }

        sb.AppendLine("**After authentication, as the authorization middleware does it** (policy evaluator + result handler, a new `DefaultHttpContext` per call):");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Median | Ratio | Allocated |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (label, method) in new[]
        {
            ("Pass: reverification passes, endpoint called", nameof(DenyBenchmarks.Pass)),
            ("Deny: reverification 403 with JSON body and `WWW-Authenticate`", nameof(DenyBenchmarks.DenyReverification)),
            ("Deny: failed `RequireClaim`, JwtBearer's plain 403 (anchor)", nameof(DenyBenchmarks.DenyRequireClaim)),
        })
        {
            if (Find(rows, type, method) is { } row)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ns(row.MedianNs)} | {row.MedianNs / pass.MedianNs:F2} | {Bytes(row.Allocated)} |");
            }
        }

        sb.AppendLine();
    }

    private static void Client(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(ClientBenchmarks);
        if (!rows.Any(static r => r.Type == type))
        {
            return;
        }

        sb.AppendLine("**Client: `ReverificationHandler` on requests that need no reverification** (`HttpClient.SendAsync` over an in-process transport that writes the body and answers a cached 200; baseline: the same `HttpClient` without the handler):");
        sb.AppendLine();
        sb.AppendLine("| Request | Bare `HttpClient` | With the handler | Ratio | Allocated (bare / with) | Extra | Target | Met |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var (label, bareMethod, handlerMethod) in new[]
        {
            ("GET", nameof(ClientBenchmarks.BareGet), nameof(ClientBenchmarks.HandlerGet)),
            ("POST, 1 KB body (`ByteArrayContent`, known length)", nameof(ClientBenchmarks.BarePost), nameof(ClientBenchmarks.HandlerPost)),
            ("GET + typed `Authorization: Bearer` (RS256 token)", nameof(ClientBenchmarks.BareAuthorizedGet), nameof(ClientBenchmarks.HandlerAuthorizedGet)),
        })
        {
            var bare = Find(rows, type, bareMethod);
            var handler = Find(rows, type, handlerMethod);
            if (bare is null || handler is null)
            {
                continue;
            }

            var ratio = handler.MedianNs / bare.MedianNs;
            var extra = handler.Allocated - bare.Allocated;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ns(bare.MedianNs)} | {Ns(handler.MedianNs)} | {ratio:F3} | {Bytes(bare.Allocated)} / {Bytes(handler.Allocated)} | +{extra} B | time <= 1.05x | {Met(ratio <= 1.05)} |");
        }

        sb.AppendLine();
    }

    private static void Growth(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(GrowthBenchmarks);
        var growth = rows.Where(static r => r.Type == type).ToList();
        if (growth.Count == 0)
        {
            return;
        }

        double? Get(int claims, int requirements)
            => growth.FirstOrDefault(r => r.Parameters.Contains($"Claims={claims}", StringComparison.Ordinal)
                && r.Parameters.Contains($"Requirements={requirements}", StringComparison.Ordinal))?.MedianNs;
        long? Alloc(int claims, int requirements)
            => growth.FirstOrDefault(r => r.Parameters.Contains($"Claims={claims}", StringComparison.Ordinal)
                && r.Parameters.Contains($"Requirements={requirements}", StringComparison.Ordinal))?.Allocated;

        sb.AppendLine("**Growth** (`[Authorize]` + reverification through `IAuthorizationService`; requirements: strict / strict + moderate + lax):");
        sb.AppendLine();
        sb.AppendLine("| Claims in principal | 1 requirement | 3 requirements | Allocated (1 / 3) |");
        sb.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var claims in new[] { 10, 100, 1000 })
        {
            if (Get(claims, 1) is { } one && Get(claims, 3) is { } three)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {claims} | {Ns(one)} | {Ns(three)} | {Bytes(Alloc(claims, 1))} / {Bytes(Alloc(claims, 3))} |");
            }
        }

        sb.AppendLine();
        if (Get(10, 1) is { } t10 && Get(100, 1) is { } t100 && Get(1000, 1) is { } t1000 && Get(10, 3) is { } r10 && Get(1000, 3) is { } r1000)
        {
            var slopeLow = (t100 - t10) / 90;
            var slopeHigh = (t1000 - t100) / 900;
            // Linear: the cost per added claim is about the same over both ranges; constant: 100x the claims costs
            // less than 20% more.
            var claims = t1000 / t10 < 1.2 ? "constant"
                : slopeHigh > 0 && slopeLow > 0 && slopeHigh / slopeLow is > 0.5 and < 2 ? "linear"
                : slopeHigh > 2 * Math.Max(slopeLow, 0.01) ? "worse than linear"
                : "linear or better (per-claim cost falls as claims are added)";
            var stepAt10 = r10 - t10;
            var stepAt1000 = r1000 - t1000;
            var requirements = Math.Abs(stepAt1000 - stepAt10) < Math.Max(0.25 * (t1000 - t10), 20)
                ? "the claims are read once per authorization, so the extra requirements add a fixed step that does not grow with the claims"
                : "the extra requirements' cost grows with the claims";
            sb.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Claims: **{claims}**, {slopeLow:F2} ns per claim from 10 to 100 and {slopeHigh:F2} ns per claim from 100 to 1000; allocation {(Alloc(10, 1) == Alloc(1000, 1) ? "does not change" : "changes")}. "
                + $"Requirements (1 -> 3): {stepAt10:+0.0;-0.0} ns at 10 claims, {stepAt1000:+0.0;-0.0} ns at 1000 claims: {requirements}."));
            sb.AppendLine();
        }
    }

    private static void StampCheck(StringBuilder sb, List<Row> rows)
    {
        const string type = nameof(StampCheckBenchmarks);
        var baseline = Find(rows, type, nameof(StampCheckBenchmarks.WithoutStampCheck));
        if (baseline is null)
        {
            return;
        }

        sb.AppendLine("**Reverification.Identity's security-stamp check** (request scope + `[Authorize]` + `strict` through `IAuthorizationService`; Identity's EF Core store on in-memory SQLite):");
        sb.AppendLine();
        sb.AppendLine("| Request | Median | Allocated | Added by the check |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (label, method) in new[]
        {
            ("Times, no stamp check (baseline)", nameof(StampCheckBenchmarks.WithoutStampCheck)),
            ("Times, stamp check (one user read by id)", nameof(StampCheckBenchmarks.WithStampCheck)),
            ("No times, stamp check (no read)", nameof(StampCheckBenchmarks.WithStampCheckNoTimes)),
            ("For scale: scope + `UserManager.FindByIdAsync` alone", nameof(StampCheckBenchmarks.UserReadAlone)),
        })
        {
            if (Find(rows, type, method) is { } row)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Ns(row.MedianNs)} | {Bytes(row.Allocated)} | {Ns(row.MedianNs - baseline.MedianNs)} |");
            }
        }

        sb.AppendLine();
    }
}
