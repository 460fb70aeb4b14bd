using System.Diagnostics;
using System.Globalization;

namespace Reverification.Benchmarks;

/// <summary>
/// A development aid for a busy machine: runs the check benchmarks interleaved in short samples and reports the
/// minimum and the median time per call. Other processes only ever add time, so the minimum over many short samples
/// is the steadiest figure when the cores are shared. Not a substitute for the BenchmarkDotNet run.
/// </summary>
internal static class Probe
{
    private static readonly string s_value = "1763824000";
    private static readonly long s_seconds = long.Parse("1763824000", CultureInfo.InvariantCulture);

    public static string Run(int samples)
    {
        var bench = new CheckBenchmarks();
        bench.Setup();
        var authorization = new AuthorizationBenchmarks();
        authorization.Setup();
        var client = new ClientBenchmarks();
        client.Setup();
        var deny = new DenyBenchmarks();
        deny.Setup();
        var cases = new (string Name, Func<int> Run)[]
        {
            ("Floor", () => (int)bench.Floor()),
            ("Clock", () => bench.Clock().Second),
            ("DateTime.UtcNow", () => (int)DateTime.UtcNow.Ticks),
            ("Stopwatch.GetTimestamp", () => (int)Stopwatch.GetTimestamp()),
            ("Environment.TickCount64", () => (int)Environment.TickCount64),
            ("Timestamps pass", () => (int)bench.TimestampsPass()),
            ("Timestamps read only", () => (int)bench.TimestampsReadOnly().Status),
            ("IsAuthenticated", () => bench.IsAuthenticatedOnly() ? 1 : 0),
            ("Parse: ClaimValueParser", () => Reverification.AspNetCore.Internal.ClaimValueParser.TryParseUnixSeconds(s_value.AsSpan(), out var v) ? (int)v : 0),
            ("Parse: long.TryParse", () => long.TryParse(s_value.AsSpan(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? (int)v : 0),
            ("FromUnixTimeSeconds", () => DateTimeOffset.FromUnixTimeSeconds(s_seconds).Second),
            ("Walk, count", () =>
            {
                var v = default(CountVisitor);
                Reverification.AspNetCore.Internal.ClaimsWalker.Walk((System.Security.Claims.ClaimsIdentity)bench.TimestampsUser.Identity!, ref v);
                return v.Count;
            }),
            ("Walk, compare ==", () =>
            {
                var v = new CompareVisitor2("f1_verified_at", "f2_verified_at");
                Reverification.AspNetCore.Internal.ClaimsWalker.Walk((System.Security.Claims.ClaimsIdentity)bench.TimestampsUser.Identity!, ref v);
                return v.Count;
            }),
            ("Walk, compare len+span", () =>
            {
                var v = new CompareVisitor3("f1_verified_at", "f2_verified_at");
                Reverification.AspNetCore.Internal.ClaimsWalker.Walk((System.Security.Claims.ClaimsIdentity)bench.TimestampsUser.Identity!, ref v);
                return v.Count;
            }),
            ("Walk, compare fva", () =>
            {
                var v = new CompareVisitor("fva", "iat");
                Reverification.AspNetCore.Internal.ClaimsWalker.Walk((System.Security.Claims.ClaimsIdentity)bench.TimestampsUser.Identity!, ref v);
                return v.Count;
            }),
            ("Walk, compare", () =>
            {
                var v = new CompareVisitor("f1_verified_at", "f2_verified_at");
                Reverification.AspNetCore.Internal.ClaimsWalker.Walk((System.Security.Claims.ClaimsIdentity)bench.TimestampsUser.Identity!, ref v);
                return v.Count;
            }),
            ("Timestamps deny", () => (int)bench.TimestampsDeny()),
            ("Clerk fva split pass", () => (int)bench.ClerkFvaSplitPass()),
            ("Clerk fva split deny", () => (int)bench.ClerkFvaSplitDeny()),
            ("Clerk fva one claim pass", () => (int)bench.ClerkFvaOneClaimPass()),
            ("OIDC pass", () => (int)bench.OpenIdConnectPass()),
            ("Supabase pass", () => (int)bench.SupabaseAmrPass()),
            ("Authorize: baseline", () => authorization.Authorize().Result.Succeeded ? 1 : 0),
            ("Authorize: library registered", () => authorization.Registered().Result.Succeeded ? 1 : 0),
            ("Authorize: + reverification", () => authorization.Reverification().Result.Succeeded ? 1 : 0),
            ("Authorize: + RequireClaim", () => authorization.RequireClaim().Result.Succeeded ? 1 : 0),
            ("Client: GET bare", () => (int)client.BareGet().Result.StatusCode),
            ("Client: GET bare + collections", () => (int)client.BareGetWithCollections().Result.StatusCode),
            ("Client: GET pass-through handler", () => (int)client.PassThroughGet().Result.StatusCode),
            ("Client: GET handler", () => (int)client.HandlerGet().Result.StatusCode),
            ("Deny path: pass", () => deny.Pass().GetAwaiter().GetResult().Response.StatusCode),
            ("Deny path: reverification 403", () => deny.DenyReverification().GetAwaiter().GetResult().Response.StatusCode),
            ("Deny path: RequireClaim 403", () => deny.DenyRequireClaim().GetAwaiter().GetResult().Response.StatusCode),
            ("Client: POST 1 KB bare", () => (int)client.BarePost().Result.StatusCode),
            ("Client: POST 1 KB pass-through handler", () => (int)client.PassThroughPost().Result.StatusCode),
            ("Client: POST 1 KB handler", () => (int)client.HandlerPost().Result.StatusCode),
            ("Client: GET + Authorization bare", () => (int)client.BareAuthorizedGet().Result.StatusCode),
            ("Client: GET + Authorization handler", () => (int)client.HandlerAuthorizedGet().Result.StatusCode),
        };
        if (Environment.GetEnvironmentVariable("PROBE_FILTER") is { Length: > 0 } filter)
        {
            cases = [.. cases.Where(c => c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || c.Name == "Floor")];
        }

        const int Ops = 20_000;
        var times = cases.Select(static _ => new List<double>()).ToArray();
        var sink = 0;
        for (var s = 0; s < samples; s++)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var run = cases[c].Run;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < Ops; i++)
                {
                    sink += run();
                }

                times[c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / Ops);
            }
        }

        var lines = cases.Select((c, i) => string.Create(
            CultureInfo.InvariantCulture,
            $"{c.Name,-40} min {times[i].Min(),7:F1} ns   median {EndToEnd.Median(times[i]),7:F1} ns"));
        return string.Join(Environment.NewLine, lines) + (sink == 42 ? " " : string.Empty);
    }
}

internal struct CountVisitor : Reverification.AspNetCore.Internal.IClaimVisitor
{
    public int Count;

    public bool Visit(System.Security.Claims.Claim claim)
    {
        Count += claim.Type.Length;
        return true;
    }
}

internal struct CompareVisitor(string first, string second) : Reverification.AspNetCore.Internal.IClaimVisitor
{
    public int Count;

    public bool Visit(System.Security.Claims.Claim claim)
    {
        var type = claim.Type;
        if (string.Equals(type, first, StringComparison.Ordinal))
        {
            Count++;
        }
        else if (string.Equals(type, second, StringComparison.Ordinal))
        {
            Count += 2;
        }

        return true;
    }
}

internal struct CompareVisitor2(string first, string second) : Reverification.AspNetCore.Internal.IClaimVisitor
{
    public int Count;

    public bool Visit(System.Security.Claims.Claim claim)
    {
        var type = claim.Type;
        if (type == first)
        {
            Count++;
        }
        else if (type == second)
        {
            Count += 2;
        }

        return true;
    }
}

internal struct CompareVisitor3(string first, string second) : Reverification.AspNetCore.Internal.IClaimVisitor
{
    public int Count;

    public bool Visit(System.Security.Claims.Claim claim)
    {
        var type = claim.Type;
        if (type.Length == first.Length && type.AsSpan().SequenceEqual(first))
        {
            Count++;
        }
        else if (type.Length == second.Length && type.AsSpan().SequenceEqual(second))
        {
            Count += 2;
        }

        return true;
    }
}
