using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reverification.AspNetCore;

namespace Reverification.Benchmarks;

/// <summary>
/// One app on Kestrel (127.0.0.1), loaded with wrk: warm-up, then rounds that alternate the order of the endpoints,
/// a fixed duration each. Ratios are taken per round (neighbours in time share the machine's load) and summarised by
/// their median with a percentile-bootstrap 95% interval.
/// </summary>
public static partial class EndToEnd
{
    public sealed record Settings(int Rounds, int DurationSeconds, int WarmupSeconds, int Connections, int Threads);

    private sealed record Target(string Name, string Path, string? Token, int ExpectedStatus);

    public static async Task<string> RunAsync(Settings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = BenchTokens.ValidationParameters());
        builder.Services.AddAuthorization();
        builder.Services.AddReverification(o => o.Use(VerificationClaimsFormat.ClerkFva));

        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/anonymous", static () => "ok").AllowAnonymous();
        app.MapGet("/authorized", static () => "ok").RequireAuthorization();
        app.MapGet("/reverified", static () => "ok").RequireAuthorization().RequireReverification("strict");
        await app.StartAsync();
        var address = app.Urls.First();

        // Fresh verification (fva [0,0]) passes "strict" (10 minutes) for the whole run; [60,60] is stale.
        var passing = BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(0, 0)), BenchTokens.Rs256);
        var stale = BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(60, 60)), BenchTokens.Rs256);
        Target[] targets =
        [
            new("anonymous", "/anonymous", null, 200),
            new("authorized", "/authorized", passing, 200),
            new("reverified", "/reverified", passing, 200),
            new("deny", "/reverified", stale, 403),
        ];

        await CheckTargetsAsync(address, targets);

        foreach (var target in targets)
        {
            Log($"warm-up {target.Name} {settings.WarmupSeconds}s");
            await WrkAsync(address, target, settings.WarmupSeconds, settings);
        }

        var results = targets.ToDictionary(static t => t.Name, static _ => new List<double>());
        for (var round = 0; round < settings.Rounds; round++)
        {
            var order = round % 2 == 0 ? targets : [.. targets.Reverse()];
            foreach (var target in order)
            {
                var rps = await WrkAsync(address, target, settings.DurationSeconds, settings);
                results[target.Name].Add(rps);
            }

            Log($"round {round + 1}/{settings.Rounds} ({string.Join(" ", order.Select(t => t.Name))}): "
                + string.Join(", ", targets.Select(t => $"{t.Name} {results[t.Name][round]:F0}")));
        }

        await app.StopAsync();
        return Report(settings, results);
    }

    private static async Task CheckTargetsAsync(string address, Target[] targets)
    {
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var target in targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Path);
            if (target.Token is not null)
            {
                request.Headers.Authorization = new("Bearer", target.Token);
            }

            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != target.ExpectedStatus)
            {
                throw new InvalidOperationException($"{target.Name}: expected {target.ExpectedStatus}, got {(int)response.StatusCode} {body}");
            }

            if (target.ExpectedStatus == 403 && !body.Contains("reverification-error", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{target.Name}: the 403 is not the reverification answer: {body}");
            }

            Log($"{target.Name}: GET {target.Path} -> {(int)response.StatusCode} {body}");
        }
    }

    private static async Task<double> WrkAsync(string address, Target target, int seconds, Settings settings)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-t", settings.Threads.ToString(CultureInfo.InvariantCulture), "-c", settings.Connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "5s" })
        {
            start.ArgumentList.Add(arg);
        }

        if (target.Token is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Authorization: Bearer " + target.Token);
        }

        start.ArgumentList.Add(address + target.Path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
        }

        var match = RequestsPerSecond().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("No Requests/sec in wrk's output: " + output);
        }

        // Every answer must be the expected one: wrk counts non-2xx/3xx answers and socket errors.
        var non2xx = Non2xx().Match(output);
        var total = TotalRequests().Match(output);
        var wrong = target.ExpectedStatus == 200
            ? non2xx.Success
            : !non2xx.Success || !total.Success || non2xx.Groups[1].Value != total.Groups[1].Value;
        if (wrong || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{target.Name}: unexpected answers under load: {output}");
        }

        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string Report(Settings settings, Dictionary<string, List<double>> results)
    {
        var authorized = results["authorized"];
        var reverifiedRatios = authorized.Select((a, i) => results["reverified"][i] / a).ToArray();
        var denyRatios = authorized.Select((a, i) => results["deny"][i] / a).ToArray();
        var anonymousRatios = authorized.Select((a, i) => results["anonymous"][i] / a).ToArray();

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### End to end (Kestrel 127.0.0.1, wrk -t{settings.Threads} -c{settings.Connections}, {settings.Rounds} rounds x {settings.DurationSeconds} s per endpoint, order alternating, {settings.WarmupSeconds} s warm-up each)");
        sb.AppendLine();
        sb.AppendLine("| Endpoint | Median req/s | Min | Max |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, label) in new[] { ("anonymous", "anonymous, no token"), ("authorized", "[Authorize], JWT bearer"), ("reverified", "[Authorize] + RequireReverification(\"strict\"), passing"), ("deny", "same, stale token: 403 + body") })
        {
            var values = results[name];
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Median(values):F0} | {values.Min():F0} | {values.Max():F0} |");
        }

        sb.AppendLine();
        sb.AppendLine("| Ratio (per round) | Median | 95% CI of the median (bootstrap) | Mean, 95% t-interval | Target | Met |");
        sb.AppendLine("| --- | ---: | ---: | ---: | --- | --- |");
        var (lo, hi) = BootstrapMedian(reverifiedRatios);
        var (mean, tLo, tHi) = TInterval(reverifiedRatios);
        var reverifiedMet = Median(reverifiedRatios) >= 0.97 && lo <= 1.0 && hi >= 1.0;
        sb.AppendLine(CultureInfo.InvariantCulture, $"| reverified / authorized | {Median(reverifiedRatios):F3} | [{lo:F3}, {hi:F3}] | {mean:F3} [{tLo:F3}, {tHi:F3}] | >= 0.97, CI includes 1.0 | {(reverifiedMet ? "yes" : "**no**")} |");
        (lo, hi) = BootstrapMedian(denyRatios);
        (mean, tLo, tHi) = TInterval(denyRatios);
        sb.AppendLine(CultureInfo.InvariantCulture, $"| deny / authorized | {Median(denyRatios):F3} | [{lo:F3}, {hi:F3}] | {mean:F3} [{tLo:F3}, {tHi:F3}] | >= 0.90 | {(Median(denyRatios) >= 0.90 ? "yes" : "**no**")} |");
        (lo, hi) = BootstrapMedian(anonymousRatios);
        (mean, tLo, tHi) = TInterval(anonymousRatios);
        sb.AppendLine(CultureInfo.InvariantCulture, $"| anonymous / authorized | {Median(anonymousRatios):F3} | [{lo:F3}, {hi:F3}] | {mean:F3} [{tLo:F3}, {tHi:F3}] | (for scale) | |");
        sb.AppendLine();
        sb.AppendLine("Per-round req/s:");
        sb.AppendLine();
        sb.AppendLine("| Round | anonymous | authorized | reverified | deny |");
        sb.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < authorized.Count; i++)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {results["anonymous"][i]:F0} | {authorized[i]:F0} | {results["reverified"][i]:F0} | {results["deny"][i]:F0} |");
        }

        return sb.ToString();
    }

    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Percentile bootstrap of the median, 10,000 resamples, fixed seed (reproducible from the same data).</summary>
    internal static (double Low, double High) BootstrapMedian(double[] values)
    {
        var random = new Random(20261122);
        var medians = new double[10_000];
        var sample = new double[values.Length];
        for (var b = 0; b < medians.Length; b++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = values[random.Next(values.Length)];
            }

            medians[b] = Median(sample);
        }

        Array.Sort(medians);
        return (medians[(int)(0.025 * medians.Length)], medians[(int)(0.975 * medians.Length) - 1]);
    }

    /// <summary>Mean with Student's t 95% interval.</summary>
    internal static (double Mean, double Low, double High) TInterval(double[] values)
    {
        var n = values.Length;
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = TQuantile975(n - 1) * sd / Math.Sqrt(n);
        return (mean, mean - half, mean + half);
    }

    private static double TQuantile975(int df) => df switch
    {
        <= 1 => 12.706,
        2 => 4.303,
        3 => 3.182,
        4 => 2.776,
        5 => 2.571,
        6 => 2.447,
        7 => 2.365,
        8 => 2.306,
        9 => 2.262,
        10 => 2.228,
        11 => 2.201,
        12 => 2.179,
        13 => 2.160,
        14 => 2.145,
        15 => 2.131,
        <= 20 => 2.086,
        <= 30 => 2.042,
        _ => 1.96,
    };

    private static void Log(string message) => Console.WriteLine($"[e2e {DateTime.UtcNow:HH:mm:ss}] {message}");

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();
}
