using System.Reflection;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Hardening.Tests;

public sealed class ReverificationLogTests
{
    private const string Secret = "1772366399";
    private const string Stale = "1700000123";

    [Fact]
    public void LogEvents_HaveStableIdsAndNames()
    {
        var events = typeof(ReverificationLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(static m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToDictionary(static a => a.EventId, static a => a.EventName);

        Assert.Equal(
            new Dictionary<int, string?>
            {
                [1] = "ReverificationRequired",
                [2] = "MalformedVerificationClaims",
                [3] = "ClaimsReaderFailed",
                [4] = "UnknownReverificationLevel",
                [5] = "ReverificationConfigurationError",
                [6] = "ResponseAlreadyStarted",
                [7] = "ReverifyRedirectNotLocal",
            },
            events);
    }

    [Fact]
    public async Task ClaimsReaderFailed_ReaderThrowsWithTheValueInItsMessage_LogsTheTypeOnlyAndDenies()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps, o => o.ClaimsReader = new ThrowingReader());
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("f2_verified_at", Secret)], "Bearer"));

        var result = await harness.AuthorizeAsync(user, "lax");

        Assert.False(result.Succeeded);
        var record = Assert.Single(harness.Logs.GetSnapshot(), static r => r.Id.Id == 3);
        Assert.Equal("ClaimsReaderFailed", record.Id.Name);
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("Custom", record.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FormatException), record.Message, StringComparison.Ordinal);
        Assert.Null(record.Exception);
        Assert.All(harness.Logs.GetSnapshot(), static r => Assert.DoesNotContain(Secret, r.Message, StringComparison.Ordinal));
        Assert.Equal("malformed_claims", Assert.Single(harness.Checks.GetMeasurementSnapshot()).Tags[ReverificationMetrics.OutcomeTag]);
    }

    [Fact]
    public async Task MalformedVerificationClaims_NamesTheFormatNotTheValue()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.ClerkFva);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("fva", "[" + Secret + "x,0]"), new Claim("iat", Secret)], "Bearer"));

        await harness.AuthorizeAsync(user, "lax");

        var record = Assert.Single(harness.Logs.GetSnapshot(), static r => r.Id.Id == 2 && r.Category!.StartsWith("Reverification", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("ClerkFva", record.Message, StringComparison.Ordinal);
        Assert.All(harness.Logs.GetSnapshot(), static r => Assert.DoesNotContain(Secret, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReverificationRequired_LogsTheLevelAndOutcomeAtDebug()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("f2_verified_at", Stale)], "Bearer"));

        await harness.AuthorizeAsync(user, "strict");

        var record = Assert.Single(harness.Logs.GetSnapshot(), static r => r.Id.Id == 1 && r.Category!.StartsWith("Reverification", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.Contains("'strict'", record.Message, StringComparison.Ordinal);
        Assert.Contains("ReverificationRequired", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Stale, record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownReverificationLevel_PolicyBuiltInCode_LogsAndDeniesWithoutCounting()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("f2_verified_at", Secret)], "Bearer"));

        var result = await harness.AuthorizeAsync(user, "not-registered");

        Assert.False(result.Succeeded);
        var record = Assert.Single(harness.Logs.GetSnapshot(), static r => r.Id.Id == 4);
        Assert.Equal("UnknownReverificationLevel", record.Id.Name);
        Assert.Empty(harness.Checks.GetMeasurementSnapshot());
    }

    private sealed class ThrowingReader : IVerificationClaimsReader
    {
        public VerificationTimes Read(ClaimsPrincipal principal)
            => throw new FormatException($"could not parse '{principal.FindFirst("f2_verified_at")?.Value}'");
    }
}
