using System.Globalization;
using Reverification.LoadTest;

// Bounded load test: dotnet run -c Release --project benchmarks/Reverification.LoadTest -- --requests 100000 --concurrency 256
// One-time approvals on Redis, Kestrel + wrk: ... -- approvals [--rounds 3] [--seconds 5] [--connections 64] [--threads 2]
if (args.Length > 0 && args[0] == "approvals")
{
    return await ApprovalLoad.RunAsync(args);
}

var requests = Option(args, "--requests", 100_000);
var concurrency = Option(args, "--concurrency", 256);
var warmup = Option(args, "--warmup", 5_000);

Console.WriteLine($"Reverification load test: {requests:N0} requests, concurrency {concurrency}, warm-up {warmup:N0}, .NET {Environment.Version}, {Environment.ProcessorCount} CPU(s)");
var result = await LoadTestRunner.RunAsync(new LoadTestSettings(requests, concurrency, warmup), Console.Out);

static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MB";

Console.WriteLine($"Elapsed:            {result.Elapsed.TotalSeconds:F1} s ({result.RequestsPerSecond:F0} requests/s)");
Console.WriteLine($"Latency:            p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms");
Console.WriteLine($"Status codes:       {string.Join(", ", result.ByStatus.OrderBy(static p => p.Key).Select(static p => $"{p.Key}: {p.Value:N0}"))}");
Console.WriteLine($"Callers:            {string.Join(", ", result.ByCaller.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => $"{p.Key}: {p.Value:N0}"))}");
Console.WriteLine($"5xx:                {result.ServerErrors}");
Console.WriteLine($"Wrong answers:      {result.WrongAnswers}");
foreach (var problem in result.FirstWrongAnswers)
{
    Console.WriteLine($"  {problem}");
}

Console.WriteLine($"Managed heap:       before {Mb(result.Before.ManagedBytes)}, after {Mb(result.After.ManagedBytes)} (after full GC); peak during run {Mb(result.PeakManagedBytesDuringRun)}");
Console.WriteLine($"Working set:        before {Mb(result.Before.WorkingSetBytes)}, after {Mb(result.After.WorkingSetBytes)}; peak during run {Mb(result.PeakWorkingSetDuringRun)}");
Console.WriteLine($"Allocated:          {Mb(result.AllocatedBytesDuringRun)} in total ({result.AllocatedBytesDuringRun / result.Requests:N0} bytes/request, client and server)");
Console.WriteLine($"GCs during run:     gen0 {result.Gen0Collections}, gen1 {result.Gen1Collections}, gen2 {result.Gen2Collections}");
return result.ServerErrors == 0 && result.WrongAnswers == 0 ? 0 : 1;

static int Option(string[] args, string name, int defaultValue)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : defaultValue;
}
