using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.Identity.Internal;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>Every attempt is counted by method and result and logged with a stable id, never with a secret.</summary>
public class AuditTests
{
    [Fact]
    public async Task Attempts_EveryResult_CountedByMethodAndResult()
    {
        await using var app = await IdentityTestApp.StartAsync(
            configure: static o => o.AttemptLimit = 9,
            services: static s => s.AddFakeLogging());
        using var attempts = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), IdentityReverificationMetrics.MeterName, IdentityReverificationMetrics.AttemptsName);
        var signInCode = app.Code(app.TwoFactor);
        using var session = await app.SignInAsync(app.TwoFactor, signInCode);

        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });      // verified
        await app.ReverifyAsync(session, "authenticator", new { code = signInCode });                  // replayed
        await app.ReverifyAsync(session, "recovery-code", new { code = "AAAAA-BBBBB" });              // wrong
        for (var i = 0; i < 3; i++)
        {
            await app.ReverifyAsync(session, "password", new { password = "wrong" });                 // wrong, the last locks
        }

        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });      // locked_out
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });      // locked_out
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });      // locked_out
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });      // rate_limited (10th)

        var counted = attempts.GetMeasurementSnapshot()
            .GroupBy(static m => $"{m.Tags[IdentityReverificationMetrics.MethodTag]}:{m.Tags[IdentityReverificationMetrics.ResultTag]}")
            .ToDictionary(static g => g.Key, static g => g.Sum(static m => m.Value));
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["password:verified"] = 1,
                ["authenticator:replayed"] = 1,
                ["recovery_code:wrong"] = 1,
                ["password:wrong"] = 3,
                ["password:locked_out"] = 3,
                ["password:rate_limited"] = 1,
            },
            counted);
    }

    [Fact]
    public async Task Log_Attempts_StableIdsAndNoSecrets()
    {
        await using var app = await IdentityTestApp.StartAsync(services: static s => s.AddFakeLogging());
        var signInCode = app.Code(app.TwoFactor);
        using var session = await app.SignInAsync(app.TwoFactor, signInCode);
        const string WrongPassword = "Wrong-Secret-Password-1";

        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });
        await app.ReverifyAsync(session, "password", new { password = WrongPassword });
        await app.ReverifyAsync(session, "authenticator", new { code = signInCode });
        await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[0] });

        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        var ours = records.Where(static r => r.Category?.StartsWith("Reverification.Identity", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(ours, static r => r.Id.Id == 300 && r.Id.Name == "ReverificationVerified");
        Assert.Contains(ours, static r => r.Id.Id == 301 && r.Id.Name == "ReverificationWrongAnswer" && r.Level == LogLevel.Warning);
        Assert.Contains(ours, static r => r.Id.Id == 303 && r.Id.Name == "AuthenticatorCodeReplayed");
        Assert.All(ours, static r => Assert.Contains(r.Id.Id, Enumerable.Range(300, 20)));
        string[] secrets = [app.TwoFactor.Password, WrongPassword, signInCode, app.TwoFactor.RecoveryCodes[0], app.TwoFactor.AuthenticatorKey!];
        foreach (var record in records)
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(static s => s.Value) ?? []);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
