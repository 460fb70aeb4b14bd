using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Reverification.LoadTest;

/// <summary>
/// End to end on loopback, Kestrel + wrk + a real redis-server: requests per second of retries that each consume an
/// approval approved beforehand (POST of a 1 KB JSON body with <c>Reverification-Approval</c>), beside the same POST
/// to a plain <c>RequireReverification("strict")</c> endpoint with a passing token. Rounds alternate the order; each
/// approval round gets fresh approved ids (one per request), and every answer must be a 200 (wrk's non-2xx count).
/// </summary>
/// <remarks>
/// <c>Reverification.LoadTest approvals [--rounds 3] [--seconds 5] [--connections 64] [--threads 2] [--memory]</c>
/// (<c>--memory</c>: the in-memory store instead, to tell the Redis round trip from the rest). Redis: the one
/// at <c>REVERIFICATION_REDIS</c>, or a <c>redis-server</c> started here on a free loopback port (no persistence).
/// </remarks>
internal static partial class ApprovalLoad
{
    private const string Header = "Reverification-Approval";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 3);
        var seconds = Option(args, "--seconds", 5);
        var connections = Option(args, "--connections", 64);
        var threads = Option(args, "--threads", 2);
        var memory = args.Contains("--memory");
        string? redisAddress = null;
        var redis = memory ? null : StartRedisIfNeeded(out redisAddress);
        try
        {
            return await RunAsync(redisAddress, rounds, seconds, connections, threads);
        }
        finally
        {
            if (redis is not null)
            {
                redis.Kill();
                await redis.WaitForExitAsync();
                redis.Dispose();
            }
        }
    }

    private static async Task<int> RunAsync(string? redisAddress, int rounds, int seconds, int connections, int threads)
    {
        var body = "{\"amount\":\"25.00\",\"currency\":\"EUR\",\"payee\":\"Carol\",\"note\":\"" + new string('x', 1024 - 70) + "\"}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now, now)));

        await using var app = ReverificationTestApp.Create(
            useTestServer: false,
            configure: o => o.ApprovalLifetime = TimeSpan.FromMinutes(30),
            services: s =>
            {
                if (redisAddress is not null)
                {
                    s.AddRedisApprovalStore(redisAddress);
                }
                else
                {
                    // One subject sends every request here, and ids are approved by the hundred thousand beforehand:
                    // the default store's limits (16 per subject, 100,000 in all) are lifted for the measurement.
                    s.AddSingleton<IReverificationApprovalStore>(sp => new InMemoryApprovalStore(TimeProvider.System, capacity: 4_000_000, perSubjectLimit: int.MaxValue));
                }
            });
        app.MapPost("/reverified", static async (HttpRequest r) => { await r.Body.CopyToAsync(Stream.Null); return "ok"; }).RequireReverification("strict");
        // The plain endpoint plus one store round trip that finds nothing (a consume of an unknown id): what the
        // approval's store call alone costs, the floor under the approved endpoint's rate.
        app.MapPost("/roundtrip", static async (HttpRequest r, IReverificationApprovalStore store) =>
        {
            await r.Body.CopyToAsync(Stream.Null);
            return await store.ConsumeAsync("rt_" + Guid.NewGuid().ToString("N"), r.HttpContext.RequestAborted) is null ? "ok" : "unexpected";
        }).RequireReverification("strict");
        app.MapPost("/approved", static async (HttpRequest r) => { await r.Body.CopyToAsync(Stream.Null); return "ok"; }).RequireApproval("strict", "Pay 25.00 EUR to Carol");
        await app.StartAsync();
        var address = ReverificationTestApp.GetAddress(app).ToString().TrimEnd('/');
        var store = app.Services.GetRequiredService<IReverificationApprovalStore>();
        var options = app.Services.GetRequiredService<IOptions<ReverificationOptions>>().Value;
        var digest = await DigestAsync(app.Services, body);

        var work = Directory.CreateTempSubdirectory("approval-load");
        try
        {
            var bodyFile = Path.Combine(work.FullName, "body.json");
            await File.WriteAllTextAsync(bodyFile, body);

            // Correctness first: an approved id passes once, its replay is refused.
            await CheckAsync(address, token, body, store, digest, options);

            // The plain endpoints get the same requests, with ids they ignore: wrk does the same work for every endpoint,
            // and only the server's cost differs.
            var unusedIds = Path.Combine(work.FullName, "unused");
            for (var thread = 0; thread < threads; thread++)
            {
                await File.WriteAllLinesAsync($"{unusedIds}-{thread}.txt", Enumerable.Range(0, 1_000_000).Select(static _ => ApprovalIds.Create()));
            }

            var plainScript = await WriteScriptAsync(work.FullName, "plain.lua", token, bodyFile, unusedIds);
            var results = new Dictionary<string, List<double>> { ["reverified"] = [], ["roundtrip"] = [], ["approved"] = [] };
            var estimate = 20_000.0;
            Console.WriteLine($"warm-up 2 s each; store: {(redisAddress is null ? "in memory" : "Redis " + redisAddress)}");
            await WrkAsync(address + "/reverified", plainScript, 2, connections, threads);
            estimate = await RunApprovedAsync(address, work.FullName, token, bodyFile, store, digest, options, 2, connections, threads, estimate);

            for (var round = 0; round < rounds; round++)
            {
                string[] order = round % 2 == 0 ? ["reverified", "roundtrip", "approved"] : ["approved", "roundtrip", "reverified"];
                foreach (var name in order)
                {
                    var rps = name != "approved"
                        ? await WrkAsync(address + "/" + name, plainScript, seconds, connections, threads)
                        : await RunApprovedAsync(address, work.FullName, token, bodyFile, store, digest, options, seconds, connections, threads, estimate);
                    results[name].Add(rps);
                    estimate = name == "approved" ? Math.Max(estimate, rps) : estimate;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}/{rounds} ({string.Join(" ", order)}): reverified {results["reverified"][round]:F0}, reverified + a store round trip {results["roundtrip"][round]:F0}, approved {results["approved"][round]:F0} req/s"));
            }

            var ratios = results["approved"].Select((a, i) => a / results["reverified"][i]).Order().ToArray();
            var median = ratios[ratios.Length / 2];
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Endpoint (POST, 1 KB JSON, wrk -t{threads} -c{connections}, {rounds} x {seconds} s) | Median req/s | Min | Max |"));
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            foreach (var (name, label) in new[] { ("reverified", "RequireReverification(\"strict\"), passing token"), ("roundtrip", $"The same, plus one store round trip that finds nothing ({(redisAddress is null ? "in-memory store" : "Redis")})"), ("approved", $"RequireApproval(\"strict\"), retry consuming an approved id ({(redisAddress is null ? "in-memory store" : "Redis")})") })
            {
                var values = results[name].Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {values[values.Length / 2]:F0} | {values[0]:F0} | {values[^1]:F0} |"));
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"approved / reverified, per round: {string.Join(", ", results["approved"].Select((a, i) => (a / results["reverified"][i]).ToString("F3", CultureInfo.InvariantCulture)))}; median {median:F3} (target >= 0.8: {(median >= 0.8 ? "met" : "NOT met")})"));
            var floor = results["roundtrip"].Select((a, i) => a / results["reverified"][i]).Order().ToArray()[rounds / 2];
            var overFloor = results["approved"].Select((a, i) => a / results["roundtrip"][i]).Order().ToArray()[rounds / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reverified + store round trip / reverified, median {floor:F3}; approved / (reverified + store round trip), median {overFloor:F3}"));
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The digest the endpoint computes for the load's request, computed by the library's own code.</summary>
    private static async Task<byte[]> DigestAsync(IServiceProvider services, string body)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/approved";
        context.Request.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var digest = await ApprovalRequestDigest.GetAsync(context, new RequireApprovalAttribute("strict"), 64 * 1024);
        return [.. digest.Digest];
    }

    /// <summary>Adds and approves <paramref name="count"/> approvals of user-1 for the load's request.</summary>
    private static async Task<string[]> ApproveAsync(IReverificationApprovalStore store, byte[] digest, ReverificationOptions options, int count)
    {
        var ids = new string[count];
        var expires = DateTimeOffset.UtcNow + options.ApprovalLifetime;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, ct) =>
        {
            var approval = new ReverificationApproval
            {
                Id = ApprovalIds.Create(),
                Subject = "user-1",
                Digest = digest,
                Factors = ReverificationFactors.SecondFactor,
                ExpiresAt = expires,
            };
            await store.AddAsync(approval, ct);
            if (!await store.ApproveAsync(approval.Id, ct))
            {
                throw new InvalidOperationException("An approval could not be approved.");
            }

            ids[i] = approval.Id;
        });
        return ids;
    }

    private static async Task CheckAsync(string address, string token, string body, IReverificationApprovalStore store, byte[] digest, ReverificationOptions options)
    {
        var id = (await ApproveAsync(store, digest, options, 1))[0];
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, address + "/approved") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add(Header, id);
            using var response = await client.SendAsync(request);
            var expected = attempt == 0 ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"Approved retry #{attempt + 1}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Console.WriteLine("check: an approved id passes once (200), its replay gets 403 with a new approval");
    }

    private static async Task<double> RunApprovedAsync(string address, string work, string token, string bodyFile, IReverificationApprovalStore store, byte[] digest, ReverificationOptions options, int seconds, int connections, int threads, double estimate)
    {
        // One id per request: four times what the last round's rate would use (wrk threads take unequal shares).
        var count = (int)Math.Max(60_000.0 * seconds, estimate * seconds * 4);
        var started = Stopwatch.GetTimestamp();
        var ids = await ApproveAsync(store, digest, options, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  approved {count:N0} ids beforehand in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        // One file per wrk thread (thread k takes ids k, k + n, ...), read a line per request: a Lua table of hundreds
        // of thousands of ids would make every collection of wrk's Lua heap walk it, and wrk would slow the side it loads.
        var idsFile = Path.Combine(work, "ids");
        for (var thread = 0; thread < threads; thread++)
        {
            await File.WriteAllLinesAsync($"{idsFile}-{thread}.txt", ids.Where((_, i) => i % threads == thread));
        }

        var script = await WriteScriptAsync(work, "approved.lua", token, bodyFile, idsFile);
        var rps = await WrkAsync(address + "/approved", script, seconds, connections, threads);

        // The ids the round did not use are consumed, so that they do not fill the store for the next rounds.
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (id, ct) => await store.ConsumeAsync(id, ct));
        return rps;
    }

    /// <summary>
    /// A wrk script: POST of the body with the token, and a <c>Reverification-Approval</c> header with the next line of
    /// its thread's file (<c>{idsFile}-{k}.txt</c>), so no id is sent twice.
    /// </summary>
    private static async Task<string> WriteScriptAsync(string work, string name, string token, string bodyFile, string idsFile)
    {
        var path = Path.Combine(work, name);
        var lua = $$"""
            local counter = 0
            function setup(thread)
              thread:set("tid", counter)
              counter = counter + 1
            end
            function init(args)
              local f = io.open("{{bodyFile}}", "rb")
              body = f:read("*a")
              f:close()
              headers = { ["Authorization"] = "Bearer {{token}}", ["Content-Type"] = "application/json" }
              ids = io.open("{{idsFile}}-" .. tid .. ".txt", "r")
            end
            function request()
              headers["Reverification-Approval"] = ids:read("*l") or "exhausted"
              return wrk.format("POST", nil, headers, body)
            end
            """;
        await File.WriteAllTextAsync(path, lua);
        return path;
    }

    private static async Task<double> WrkAsync(string url, string script, int seconds, int connections, int threads)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "5s", "-s", script, url })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
        }

        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{url}: answers other than 200 under load (ids exhausted, or refused): {output}");
        }

        var match = RequestsPerSecond().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("No Requests/sec in wrk's output: " + output);
    }

    private static Process? StartRedisIfNeeded(out string address)
    {
        if (Environment.GetEnvironmentVariable("REVERIFICATION_REDIS") is { Length: > 0 } configured)
        {
            address = configured;
            return null;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install -y redis-server).");
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        Thread.Sleep(300);
        address = $"127.0.0.1:{port}";
        return process;
    }

    private static int Option(string[] args, string name, int defaultValue)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : defaultValue;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
