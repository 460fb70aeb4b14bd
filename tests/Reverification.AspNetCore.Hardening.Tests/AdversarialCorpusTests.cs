using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Reverification.AspNetCore.Hardening.Tests.Corpus;
using Reverification.AspNetCore.Internal;
using Reverification.LoadTest;
using Xunit.Abstractions;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// Runs every entry of the adversarial corpus (Corpus/*.json) through the real authorization handler, the imperative
/// check, and (for the entries that fit in one token) through real JwtBearer on a TestServer.
/// </summary>
public sealed partial class AdversarialCorpusTests(ITestOutputHelper output)
{
    private static readonly VerificationClaimsFormat[] s_formats = Enum.GetValues<VerificationClaimsFormat>();

    [Fact]
    public void Corpus_CoversEveryFormat_AndHasControls()
    {
        foreach (var format in s_formats)
        {
            var count = CorpusFiles.Adversarial.Count(e => e.Format == format);
            output.WriteLine($"{format}: {count} adversarial entries, {CorpusFiles.Controls.Count(e => e.Format == format)} controls");
            Assert.True(count >= 15, $"{format} has only {count} adversarial entries");
            Assert.Contains(CorpusFiles.Controls, e => e.Format == format);
        }

        output.WriteLine($"Total: {CorpusFiles.Adversarial.Count()} adversarial entries, {CorpusFiles.Controls.Count()} controls");
        Assert.Contains(CorpusFiles.Adversarial, e => e.Id.StartsWith("mixed/", StringComparison.Ordinal));
        Assert.Equal(CorpusFiles.All.Count, CorpusFiles.All.Select(static e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task AuthorizeAsync_EveryAdversarialEntry_DeniesWithoutPassingMetricOrLeakingValues()
    {
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        foreach (var format in s_formats)
        {
            using var harness = new ReverificationHarness(format);
            foreach (var entry in CorpusFiles.Adversarial.Where(e => e.Format == format))
            {
                harness.Logs.Clear();
                harness.Checks.Clear();
                var user = entry.CreatePrincipal(ReverificationHarness.Now);
                try
                {
                    var result = await harness.AuthorizeAsync(user, entry.Level);
                    if (result.Succeeded)
                    {
                        failures.Add($"{entry.Id}: passed authorization");
                    }

                    var outcome = harness.Service.Check(user, entry.Level);
                    if (outcome == ReverificationOutcome.Passed)
                    {
                        failures.Add($"{entry.Id}: IReverificationService.Check passed");
                    }

                    outcomes[$"{format}/{outcome}"] = outcomes.GetValueOrDefault($"{format}/{outcome}") + 1;
                }
#pragma warning disable CA1031 // Any exception is a finding to report.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures.Add($"{entry.Id}: threw {ex.GetType().Name}: {ex.Message}");
                    continue;
                }

                var measurements = harness.Checks.GetMeasurementSnapshot();
                if (measurements.Count == 0 || measurements.Any(static m => Equals(m.Tags[ReverificationMetrics.OutcomeTag], "passed")))
                {
                    failures.Add($"{entry.Id}: metrics recorded {string.Join(", ", measurements.Select(static m => m.Tags[ReverificationMetrics.OutcomeTag]))}");
                }

                failures.AddRange(LogProblems(entry, harness.Logs.GetSnapshot()));
            }
        }

        foreach (var pair in outcomes.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{pair.Key}: {pair.Value}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task AuthorizeAsync_Controls_Pass()
    {
        // Without this, a harness that could never pass would make every deny above meaningless.
        foreach (var entry in CorpusFiles.Controls)
        {
            using var harness = new ReverificationHarness(entry.Format);
            var result = await harness.AuthorizeAsync(entry.CreatePrincipal(ReverificationHarness.Now), entry.Level);
            Assert.True(result.Succeeded, entry.Id);
            Assert.Equal("passed", Assert.Single(harness.Checks.GetMeasurementSnapshot()).Tags[ReverificationMetrics.OutcomeTag]);
        }
    }

    [Fact]
    public async Task AuthorizeAsync_MalformedEntries_LogTheFormatOnly()
    {
        var malformedLogged = 0;
        foreach (var format in s_formats)
        {
            using var harness = new ReverificationHarness(format);
            foreach (var entry in CorpusFiles.Adversarial.Where(e => e.Format == format))
            {
                harness.Logs.Clear();
                await harness.AuthorizeAsync(entry.CreatePrincipal(ReverificationHarness.Now), entry.Level);
                foreach (var record in harness.Logs.GetSnapshot().Where(static r => r.Id.Id == 2 && r.Category!.StartsWith("Reverification", StringComparison.Ordinal)))
                {
                    Assert.Equal("MalformedVerificationClaims", record.Id.Name);
                    Assert.Equal(LogLevel.Warning, record.Level);
                    Assert.Contains(format.ToString(), record.Message, StringComparison.Ordinal);
                    malformedLogged++;
                }
            }
        }

        output.WriteLine($"MalformedVerificationClaims events: {malformedLogged}");
        Assert.True(malformedLogged > 300, $"only {malformedLogged} malformed-claims events");
    }

    [Fact]
    public async Task Http_EveryAdversarialEntryInOneToken_IsRefusedOrMatchesTheHandlerOnWhatJwtBearerProduced()
    {
        // Signed tokens through real JwtBearer. The JWT layer reshapes some values before the library sees them (it
        // splits arrays into claims and normalizes iat, for instance), so an entry that passes here is checked against
        // the claims the app actually received: the handler must pass those same claims too, and they must differ
        // from the entry's (otherwise the entry itself passed, which is a failure).
        var failures = new List<string>();
        var reshaped = new List<string>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var sent = 0;
        foreach (var format in s_formats)
        {
            await using var app = ReverificationTestApp.Create(useTestServer: true, o => o.Use(format));
            await app.StartAsync();
            using var client = app.GetTestClient();
            foreach (var entry in CorpusFiles.Adversarial.Where(e => e.Format == format && e.FitsInOneToken))
            {
                var now = DateTimeOffset.UtcNow;
                if (TryCreatePayload(entry, now) is not { } payload)
                {
                    continue;
                }

                var token = TestTokens.Sign(payload);
                using var response = await SendAsync(client, "/" + entry.Level, token);
                sent++;
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Forbidden:
                        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
                        {
                            Assert.Equal("reverification-error", body.RootElement.GetProperty("clerk_error").GetProperty("reason").GetString());
                        }

                        break;
                    case HttpStatusCode.Unauthorized:
                        break;
                    case HttpStatusCode.OK:
                        var received = await ReceivedClaimsAsync(client, token);
                        var sentValues = entry.Resolve(now).Select(static c => c.Value).Order(StringComparer.Ordinal);
                        var receivedValues = received.Where(static c => c.Type is not ("iss" or "aud" or "sub" or "nbf" or "exp")
                            && !c.Type.EndsWith("nameidentifier", StringComparison.Ordinal)).Select(static c => c.Value).Order(StringComparer.Ordinal);
                        using (var harness = new ReverificationHarness(format, now: now))
                        {
                            var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(received, "Bearer"));
                            if (!(await harness.AuthorizeAsync(user, entry.Level)).Succeeded)
                            {
                                failures.Add($"{entry.Id}: 200 over HTTP, but the handler denies the claims the app received");
                            }
                        }

                        if (sentValues.SequenceEqual(receivedValues, StringComparer.Ordinal))
                        {
                            failures.Add($"{entry.Id}: 200 over HTTP with the entry's claims unchanged");
                        }

                        reshaped.Add(entry.Id);
                        break;
                    default:
                        failures.Add($"{entry.Id}: {(int)response.StatusCode}");
                        break;
                }
            }
        }

        output.WriteLine($"Sent {sent} tokens: {string.Join(", ", statuses.OrderBy(static p => p.Key).Select(static p => $"{(int)p.Key}: {p.Value}"))}");
        output.WriteLine($"Reshaped by JwtBearer into well-formed claims ({reshaped.Count}): {string.Join(", ", reshaped)}");
        Assert.True(sent > 500, $"only {sent} entries went over HTTP");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task<List<System.Security.Claims.Claim>> ReceivedClaimsAsync(HttpClient client, string token)
    {
        using var response = await SendAsync(client, "/claims", token);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.EnumerateArray().Select(static e => new System.Security.Claims.Claim(
            e.GetProperty("type").GetString()!, e.GetProperty("value").GetString()!, e.GetProperty("valueType").GetString()!))];
    }

    [Fact]
    public async Task Http_Controls_Pass()
    {
        foreach (var entry in CorpusFiles.Controls.Where(static e => e.FitsInOneToken))
        {
            await using var app = ReverificationTestApp.Create(useTestServer: true, o => o.Use(entry.Format));
            await app.StartAsync();
            using var client = app.GetTestClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/" + entry.Level);
            request.Headers.Authorization = new("Bearer", TestTokens.Sign(TryCreatePayload(entry, DateTimeOffset.UtcNow)!));
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{entry.Id}: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// Problems with the logs of one entry: a claim value (or a long run of digits taken from one, such as a
    /// timestamp) appearing in a message or a structured value, or an exception logged.
    /// </summary>
    private static IEnumerable<string> LogProblems(CorpusEntry entry, IReadOnlyList<Microsoft.Extensions.Logging.Testing.FakeLogRecord> records)
    {
        if (records.Count == 0)
        {
            yield break;
        }

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in entry.Resolve(ReverificationHarness.Now))
        {
            var trimmed = value.Trim();
            if (trimmed.Length >= 6)
            {
                secrets.Add(trimmed.Length > 64 ? trimmed[..64] : trimmed);
            }

            foreach (Match digits in LongDigitRun().Matches(value))
            {
                secrets.Add(digits.Value);
            }
        }

        foreach (var record in records)
        {
            var texts = new List<string> { record.Message };
            if (record.StructuredState is { } state)
            {
                texts.AddRange(state.Select(static kv => kv.Value ?? string.Empty));
            }

            foreach (var secret in secrets)
            {
                if (texts.Any(t => t.Contains(secret, StringComparison.Ordinal)))
                {
                    yield return $"{entry.Id}: log event {record.Id} contains a claim value";
                }
            }

            if (record.Exception is not null)
            {
                yield return $"{entry.Id}: log event {record.Id} carries an exception";
            }
        }
    }

    [GeneratedRegex("[0-9]{6,}")]
    private static partial Regex LongDigitRun();

    /// <summary>
    /// The entry's primary claims as a JWT payload: one property per claim type (an array when repeated); numeric and
    /// JSON value types are written raw when they are valid JSON, anything else as a string.
    /// </summary>
    internal static string? TryCreatePayload(CorpusEntry entry, DateTimeOffset now)
    {
        try
        {
            return TestTokens.Payload(now.ToUnixTimeSeconds(), writer =>
            {
                foreach (var group in entry.Resolve(now).GroupBy(static c => c.Claim.Type, StringComparer.Ordinal))
                {
                    var values = group.ToList();
                    writer.WritePropertyName(group.Key);
                    if (values.Count > 1)
                    {
                        writer.WriteStartArray();
                    }

                    foreach (var (claim, value) in values)
                    {
                        if (claim.ValueType is not null and not System.Security.Claims.ClaimValueTypes.String && IsJson(value))
                        {
                            writer.WriteRawValue(value, skipInputValidation: true);
                        }
                        else
                        {
                            writer.WriteStringValue(value);
                        }
                    }

                    if (values.Count > 1)
                    {
                        writer.WriteEndArray();
                    }
                }
            });
        }
        catch (ArgumentException)
        {
            return null; // e.g. a lone surrogate cannot be written as JSON
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsJson(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(value), new JsonDocumentOptions { MaxDepth = 10_000 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
