using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore;

namespace Reverification.LoadTest;

internal sealed record LoadTestSettings(int Requests, int Concurrency, int WarmupRequests);

internal sealed record LoadTestResult(
    int Requests,
    int Concurrency,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, int> ByCaller,
    IReadOnlyDictionary<int, int> ByStatus,
    int ServerErrors,
    int WrongAnswers,
    IReadOnlyList<string> FirstWrongAnswers,
    double P50Milliseconds,
    double P99Milliseconds,
    MemorySample Before,
    MemorySample After,
    long PeakManagedBytesDuringRun,
    long PeakWorkingSetDuringRun,
    long AllocatedBytesDuringRun,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>Managed heap (after a full collection) and working set.</summary>
internal readonly record struct MemorySample(long ManagedBytes, long WorkingSetBytes)
{
    public static MemorySample Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySample(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}

/// <summary>
/// Runs a fixed number of requests against the app on loopback Kestrel, at a fixed concurrency, mixing callers whose
/// right answer is known: fresh (200), stale (the reverification 403), malformed claims (the reverification 403),
/// forged with another key, unsigned (<c>alg: none</c>), expired, and anonymous (401). Every response is checked.
/// </summary>
internal static class LoadTestRunner
{
    private const string Path = "/strict";
    private const int Variants = 8;

    private sealed record Caller(string Kind, string? Token, HttpStatusCode Expected);

    public static async Task<LoadTestResult> RunAsync(LoadTestSettings settings, TextWriter? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Requests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Concurrency, 1);

        await using var app = ReverificationTestApp.Create(useTestServer: false);
        await app.StartAsync();
        var address = ReverificationTestApp.GetAddress(app);
        log?.WriteLine($"Listening on {address}");

        var callers = CreateCallers();
        var expectedBody = ReverificationErrorBody.Get(ReverificationLevel.Strict);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

        // Warm-up (JIT, connection pool), not counted.
        await RunBatchAsync(client, callers, expectedBody, settings.WarmupRequests, settings.Concurrency, null);

        // Allocated before the first sample, so that the latency array (8 bytes a request) is in both samples.
        var stats = new RunStats(settings.Requests);
        var before = MemorySample.Take();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        using var sampling = new CancellationTokenSource();
        long peakManaged = 0, peakWorkingSet = 0;
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                try
                {
                    await Task.Delay(100, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var stopwatch = Stopwatch.StartNew();
        await RunBatchAsync(client, callers, expectedBody, settings.Requests, settings.Concurrency, stats);
        stopwatch.Stop();
        await sampling.CancelAsync();
        await sampler;

        var allocatedDuring = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var collections = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        var after = MemorySample.Take();
        await app.StopAsync();

        Array.Sort(stats.Latencies);
        return new LoadTestResult(
            settings.Requests,
            settings.Concurrency,
            stopwatch.Elapsed,
            stats.ByCaller.ToDictionary(static p => p.Key, static p => p.Value),
            stats.ByStatus.ToDictionary(static p => p.Key, static p => p.Value),
            stats.ServerErrors,
            stats.WrongAnswers,
            [.. stats.FirstWrongAnswers],
            Percentile(stats.Latencies, 0.50),
            Percentile(stats.Latencies, 0.99),
            before,
            after,
            peakManaged,
            peakWorkingSet,
            allocatedDuring,
            collections.Item1,
            collections.Item2,
            collections.Item3);
    }

    private static double Percentile(long[] sortedTicks, double p)
        => sortedTicks.Length == 0 ? 0 : sortedTicks[(int)Math.Min(sortedTicks.Length - 1, Math.Floor(p * sortedTicks.Length))] * 1000.0 / Stopwatch.Frequency;

    private static Caller[] CreateCallers()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var callers = new List<Caller>();
        for (var v = 0; v < Variants; v++)
        {
            var sub = "user-" + v;
            callers.Add(new("fresh", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - 30 - v, now - 30 - v), subject: sub)), HttpStatusCode.OK));
            callers.Add(new("fresh-first-factor-only", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - 60 - v, null), subject: sub)), HttpStatusCode.OK));
            callers.Add(new("stale", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - 3600 - v, now - 3600 - v), subject: sub)), HttpStatusCode.Forbidden));
            callers.Add(new("no-verification-claims", TestTokens.Sign(TestTokens.Payload(now, subject: sub)), HttpStatusCode.Forbidden));
            callers.Add(new("malformed-exponent", TestTokens.Sign(TestTokens.Payload(now, w => w.WriteString("f2_verified_at", "1.7e9"), subject: sub)), HttpStatusCode.Forbidden));
            callers.Add(new("malformed-future", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now, now + 86_400), subject: sub)), HttpStatusCode.Forbidden));
            callers.Add(new("malformed-duplicate", TestTokens.Sign(TestTokens.Payload(now, w =>
            {
                w.WriteStartArray("f2_verified_at");
                w.WriteNumberValue(now - 30);
                w.WriteNumberValue(now - 30);
                w.WriteEndArray();
            }, subject: sub)), HttpStatusCode.Forbidden));
            callers.Add(new("forged-other-key", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - 30, now - 30), subject: sub), TestTokens.OtherKey), HttpStatusCode.Unauthorized));
            callers.Add(new("unsigned-alg-none", TestTokens.Unsigned(TestTokens.Payload(now, TestTokens.Timestamps(now - 30, now - 30), subject: sub)), HttpStatusCode.Unauthorized));
            callers.Add(new("expired", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - 30, now - 30), expiresAt: now - 600, notBefore: now - 7200, subject: sub)), HttpStatusCode.Unauthorized));
            callers.Add(new("anonymous", null, HttpStatusCode.Unauthorized));
        }

        return [.. callers];
    }

    private static async Task RunBatchAsync(HttpClient client, Caller[] callers, byte[] expectedBody, int requests, int concurrency, RunStats? stats)
    {
        var next = -1;
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests)
                {
                    var caller = callers[i % callers.Length];
                    var started = Stopwatch.GetTimestamp();
                    string? problem;
                    HttpStatusCode status;
                    try
                    {
                        (status, problem) = await SendAsync(client, caller, expectedBody);
                    }
#pragma warning disable CA1031 // A failed request is a result to report, not a crash.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        status = 0;
                        problem = ex.GetType().Name + ": " + ex.Message;
                    }

                    stats?.Add(i, caller.Kind, status, problem, Stopwatch.GetTimestamp() - started);
                }
            });
        }

        await Task.WhenAll(workers);
    }

    private static async Task<(HttpStatusCode Status, string? Problem)> SendAsync(HttpClient client, Caller caller, byte[] expectedBody)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Path);
        if (caller.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.StatusCode;
        if (status != caller.Expected)
        {
            return (status, $"{caller.Kind}: expected {(int)caller.Expected}, got {(int)status}");
        }

        switch (status)
        {
            case HttpStatusCode.OK when body is not [(byte)'o', (byte)'k']:
                return (status, $"{caller.Kind}: 200 with an unexpected body");
            case HttpStatusCode.Forbidden:
                if (!body.AsSpan().SequenceEqual(expectedBody) || response.Content.Headers.ContentType?.MediaType != "application/json")
                {
                    return (status, $"{caller.Kind}: 403 without the reverification body");
                }

                if (!response.Headers.WwwAuthenticate.Any(static h => h.Parameter?.Contains("error=\"insufficient_user_authentication\"", StringComparison.Ordinal) == true))
                {
                    return (status, $"{caller.Kind}: 403 without the RFC 9470 challenge");
                }

                break;
            case HttpStatusCode.Unauthorized:
                if (body.Length != 0 || !response.Headers.WwwAuthenticate.Any(static h => h.Scheme == "Bearer")
                    || response.Headers.WwwAuthenticate.Any(static h => h.Parameter?.Contains("insufficient_user_authentication", StringComparison.Ordinal) == true))
                {
                    return (status, $"{caller.Kind}: 401 that is not the plain bearer challenge");
                }

                break;
        }

        return (status, null);
    }

    private sealed class RunStats(int requests)
    {
        private readonly Lock _lock = new();

        public long[] Latencies { get; } = new long[requests];

        public Dictionary<string, int> ByCaller { get; } = [];

        public Dictionary<int, int> ByStatus { get; } = [];

        public List<string> FirstWrongAnswers { get; } = [];

        public int ServerErrors { get; private set; }

        public int WrongAnswers { get; private set; }

        public void Add(int index, string kind, HttpStatusCode status, string? problem, long elapsedTicks)
        {
            Latencies[index] = elapsedTicks;
            lock (_lock)
            {
                ByCaller[kind] = ByCaller.GetValueOrDefault(kind) + 1;
                ByStatus[(int)status] = ByStatus.GetValueOrDefault((int)status) + 1;
                if ((int)status >= 500)
                {
                    ServerErrors++;
                }

                if (problem is not null)
                {
                    WrongAnswers++;
                    if (FirstWrongAnswers.Count < 10)
                    {
                        FirstWrongAnswers.Add(problem);
                    }
                }
            }
        }
    }
}
