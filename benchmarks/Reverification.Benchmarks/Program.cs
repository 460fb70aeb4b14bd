using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Reverification.Benchmarks;

// Usage:
//   Reverification.Benchmarks micro [--quick] [--out FILE] [BenchmarkDotNet arguments, e.g. --filter *Check*]
//   Reverification.Benchmarks e2e   [--quick] [--out FILE]
//   Reverification.Benchmarks probe [--quick]   (development aid: interleaved samples, min and median per call;
//                                               PROBE_FILTER=Client runs the client cases)
// benchmarks/run.sh runs both and writes docs/performance.md.
var mode = args.Length > 0 ? args[0] : "micro";
var rest = args.Skip(1).ToList();
var quick = rest.Remove("--quick");
string? output = null;
var outIndex = rest.IndexOf("--out");
if (outIndex >= 0 && outIndex + 1 < rest.Count)
{
    output = rest[outIndex + 1];
    rest.RemoveRange(outIndex, 2);
}

string report;
switch (mode)
{
    case "micro":
    {
        IConfig config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        if (Environment.GetEnvironmentVariable("BENCH_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            config = config.WithArtifactsPath(artifacts);
        }

        if (quick)
        {
            config = config.AddJob(Job.ShortRun);
        }

        if (!rest.Contains("--filter"))
        {
            rest.AddRange(["--filter", "*"]);
        }

        var summaries = BenchmarkSwitcher
            .FromTypes([typeof(CheckBenchmarks), typeof(AuthorizationBenchmarks), typeof(DenyBenchmarks), typeof(GrowthBenchmarks), typeof(ClientBenchmarks), typeof(StampCheckBenchmarks), typeof(ApprovalBenchmarks)])
            .Run([.. rest], config)
            .ToList();
        report = MicroReport.Create(summaries, quick ? "ShortRun (--quick: 3 warm-up, 3 measured iterations)" : "default job");
        break;
    }

    case "e2e":
    {
        var settings = quick
            ? new EndToEnd.Settings(Rounds: 10, DurationSeconds: 2, WarmupSeconds: 2, Connections: 32, Threads: 1)
            : new EndToEnd.Settings(Rounds: 20, DurationSeconds: 4, WarmupSeconds: 5, Connections: 32, Threads: 1);
        report = await EndToEnd.RunAsync(settings);
        break;
    }

    case "probe":
        report = Probe.Run(quick ? 50 : 300);
        break;

    default:
        Console.Error.WriteLine("Usage: Reverification.Benchmarks micro|e2e [--quick] [--out FILE] [BenchmarkDotNet arguments]");
        return 2;
}

Console.WriteLine();
Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, report);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Written to {output}"));
}

return 0;
