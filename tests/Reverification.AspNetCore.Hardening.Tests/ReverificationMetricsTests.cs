using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authorization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.LoadTest;

namespace Reverification.AspNetCore.Hardening.Tests;

public sealed class ReverificationMetricsTests
{
    private static readonly long s_now = ReverificationHarness.Now.ToUnixTimeSeconds();

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims)
        => new(new ClaimsIdentity(claims.Select(static c => new Claim(c.Type, c.Value)), "Bearer"));

    private static ClaimsPrincipal VerifiedSecondsAgo(long seconds)
        => User(("f1_verified_at", (s_now - seconds).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("f2_verified_at", (s_now - seconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(30, "strict", "passed")]
    [InlineData(601, "strict", "reverification_required")]
    [InlineData(601, "moderate", "passed")]
    [InlineData(3600, "moderate", "reverification_required")]
    [InlineData(30, "strict_mfa", "passed")]
    public async Task Checks_Authorization_CountsOneDecisionWithLevelAndOutcome(long age, string level, string outcome)
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);

        await harness.AuthorizeAsync(VerifiedSecondsAgo(age), level);

        var measurement = Assert.Single(harness.Checks.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(level, measurement.Tags[ReverificationMetrics.LevelTag]);
        Assert.Equal(outcome, measurement.Tags[ReverificationMetrics.OutcomeTag]);
        Assert.Equal(2, measurement.Tags.Count);
    }

    [Fact]
    public async Task Checks_MalformedClaims_CountsMalformedClaims()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);

        await harness.AuthorizeAsync(User(("f2_verified_at", "1.7e9")), "lax");

        var measurement = Assert.Single(harness.Checks.GetMeasurementSnapshot());
        Assert.Equal("malformed_claims", measurement.Tags[ReverificationMetrics.OutcomeTag]);
        Assert.Equal("lax", measurement.Tags[ReverificationMetrics.LevelTag]);
    }

    [Fact]
    public async Task Checks_NoVerificationClaims_CountsReverificationRequired()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.ClerkFva);

        await harness.AuthorizeAsync(User(("sub", "user-1")), "lax");

        Assert.Equal("reverification_required", Assert.Single(harness.Checks.GetMeasurementSnapshot()).Tags[ReverificationMetrics.OutcomeTag]);
    }

    [Fact]
    public async Task Checks_InlineLevel_TagsItsFactors()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);

        await harness.Authorization.AuthorizeAsync(VerifiedSecondsAgo(60), null, ReverificationHarness.Policy(ReverificationLevel.Create(ReverificationFactors.MultiFactor, 2.5)));

        var measurement = Assert.Single(harness.Checks.GetMeasurementSnapshot());
        Assert.Equal("multi_factor", measurement.Tags[ReverificationMetrics.LevelTag]);
        Assert.Equal("passed", measurement.Tags[ReverificationMetrics.OutcomeTag]);
    }

    [Fact]
    public async Task Checks_AppLevel_TagsItsName()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps, o => o.AddLevel("payments", ReverificationFactors.SecondFactor, 5));

        await harness.AuthorizeAsync(VerifiedSecondsAgo(301), "payments");

        var measurement = Assert.Single(harness.Checks.GetMeasurementSnapshot());
        Assert.Equal("payments", measurement.Tags[ReverificationMetrics.LevelTag]);
        Assert.Equal("reverification_required", measurement.Tags[ReverificationMetrics.OutcomeTag]);
    }

    [Fact]
    public async Task Checks_AnonymousCaller_CountsNothing()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);

        var result = await harness.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("f2_verified_at", s_now.ToString(System.Globalization.CultureInfo.InvariantCulture))])), "lax");

        Assert.False(result.Succeeded);
        Assert.Empty(harness.Checks.GetMeasurementSnapshot());
    }

    [Fact]
    public void Checks_ImperativeCheck_IsCountedToo()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);

        Assert.Equal(ReverificationOutcome.Passed, harness.Service.Check(VerifiedSecondsAgo(5), "strict"));
        Assert.Equal(ReverificationOutcome.ReverificationRequired, harness.Service.Check(VerifiedSecondsAgo(700), "strict"));

        Assert.Equal(["passed", "reverification_required"], harness.Checks.GetMeasurementSnapshot().Select(static m => (string)m.Tags[ReverificationMetrics.OutcomeTag]!));
    }

    [Fact]
    public void Meter_HasThePackageNameAndOpenTelemetryStyleInstrument()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        harness.Service.Check(VerifiedSecondsAgo(5), "strict");

        var instrument = harness.Checks.Instrument!;
        Assert.Equal("Reverification.AspNetCore", instrument.Meter.Name);
        Assert.Equal("reverification.checks", instrument.Name);
        Assert.Equal("{check}", instrument.Unit);
        Assert.IsType<Counter<long>>(instrument);
    }

    [Fact]
    public void Checked_WithAndWithoutListener_AllocatesNothing()
    {
        using var meterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meterFactory.GetRequiredService<IMeterFactory>();
        var metrics = new ReverificationMetrics(factory);
        var level = ReverificationLevel.Strict;

        metrics.Checked(level, ReverificationOutcome.Passed); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.Checked(level, ReverificationOutcome.Passed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        long total = 0;
        using var listener = new MeterListener
        {
            // Only this factory's meter: other tests running in parallel record on meters with the same name.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ReverificationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => total += value);
        listener.Start();
        metrics.Checked(level, ReverificationOutcome.Passed);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.Checked(level, ReverificationOutcome.Passed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, total);
    }

    [Fact]
    public void Check_PassPathWithMetricsListening_AllocatesNothing()
    {
        using var harness = new ReverificationHarness(VerificationClaimsFormat.Timestamps);
        var service = harness.Service;
        var user = VerifiedSecondsAgo(30);
        var factory = harness.MeterFactory;
        harness.Checks.Dispose(); // the collector stores measurements; a no-op listener is what production exporters cost
        using var listener = new MeterListener
        {
            // Only this factory's meter: other tests running in parallel record on meters with the same name.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ReverificationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        long passed = 0;
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => passed += value);
        listener.Start();
        Assert.Equal(ReverificationOutcome.Passed, service.Check(user, ReverificationLevel.Strict));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            service.Check(user, ReverificationLevel.Strict);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, passed);
    }

    [Fact]
    public async Task Checks_OverHttp_CountPerRequest()
    {
        await using var app = ReverificationTestApp.Create(useTestServer: true);
        await app.StartAsync();
        using var checks = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), ReverificationMetrics.MeterName, ReverificationMetrics.ChecksName);
        using var client = app.GetTestClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        foreach (var (age, expected) in new[] { (10L, HttpStatusCode.OK), (7200L, HttpStatusCode.Forbidden) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/moderate");
            request.Headers.Authorization = new("Bearer", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(now - age, now - age))));
            using var response = await client.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }

        Assert.Equal(
            ["moderate/passed", "moderate/reverification_required"],
            checks.GetMeasurementSnapshot().Select(static m => $"{m.Tags[ReverificationMetrics.LevelTag]}/{m.Tags[ReverificationMetrics.OutcomeTag]}"));
    }
}
