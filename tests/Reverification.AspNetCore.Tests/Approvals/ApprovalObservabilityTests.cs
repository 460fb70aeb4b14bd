using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;
using static Reverification.AspNetCore.Tests.Infrastructure.ApprovalClient;

namespace Reverification.AspNetCore.Tests.Approvals;

/// <summary>
/// Approvals are logged (events 20-27) and counted (<c>reverification.approvals</c>, by event and refusal reason), and
/// an id, a bearer secret until consumed, never appears in full in a log.
/// </summary>
public class ApprovalObservabilityTests
{
    private const string Body = "{\"amount\":\"25.00\",\"payee\":\"Carol\"}";

    [Fact]
    public async Task RoundTrip_IsCountedByEventAndReason_AndLoggedWithoutTheId()
    {
        var logs = new FakeLogCollector();
        await using var app = await ApprovalIntegrationTests.StartAsync(services: s =>
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs))));
        using var approvals = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), ReverificationMetrics.MeterName, ApprovalMetrics.ApprovalsName);
        var token = FreshToken(app);

        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, Body));
        Assert.Equal(ReverificationApprovalResult.OtherUser, await ApproveAsync(app, id, subject: "user-2"));
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, "/pay", token, Body, id)).StatusCode);
        var (second, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, Body, id));
        await ReadApprovalAsync(await PostAsync(app, "/pay", token, Body, "garbage"));

        long Count(string name, string? reason = null) => approvals.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags[ApprovalMetrics.EventTag], name) && (reason is null || Equals(m.Tags[ApprovalMetrics.ReasonTag], reason)))
            .Sum(m => m.Value);
        Assert.Equal(3, Count("issued"));
        Assert.Equal(1, Count("approved"));
        Assert.Equal(1, Count("consumed"));
        Assert.Equal(1, Count("refused", "other_user"));
        Assert.Equal(1, Count("refused", "not_found"));
        Assert.Equal(1, Count("refused", "malformed"));

        var records = logs.GetSnapshot();
        var ids = records.Where(r => r.Category?.StartsWith("Reverification", StringComparison.Ordinal) == true).Select(r => r.Id.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { 20, 21, 22, 23, 24 }, ids);
        foreach (var record in records)
        {
            Assert.DoesNotContain(id, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(second, record.Message, StringComparison.Ordinal);
        }

        Assert.Contains(records, r => r.Id.Id == 22 && r.Message.Contains(id[..6] + "…", StringComparison.Ordinal));
    }
}
