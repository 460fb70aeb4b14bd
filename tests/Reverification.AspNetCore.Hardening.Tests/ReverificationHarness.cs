using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// The library as an app registers it (AddReverification), with a fake clock, fake logging at Trace level and a
/// metric collector on <c>reverification.checks</c>. Authorization goes through the real
/// <see cref="IAuthorizationService"/> and the library's handler.
/// </summary>
internal sealed class ReverificationHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public ReverificationHarness(VerificationClaimsFormat format, Action<ReverificationOptions>? configure = null, DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? Now);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddSingleton<TimeProvider>(Time);
        services.AddReverification(o =>
        {
            o.Use(format);
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
        Authorization = _services.GetRequiredService<IAuthorizationService>();
        Service = _services.GetRequiredService<IReverificationService>();
        Logs = _services.GetFakeLogCollector();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        Checks = new MetricCollector<long>(MeterFactory, ReverificationMetrics.MeterName, ReverificationMetrics.ChecksName);
    }

    public FakeTimeProvider Time { get; }

    public IAuthorizationService Authorization { get; }

    public IReverificationService Service { get; }

    public FakeLogCollector Logs { get; }

    public MetricCollector<long> Checks { get; }

    /// <summary>The factory the library's meter comes from (the meter's <see cref="Meter.Scope"/>).</summary>
    public IMeterFactory MeterFactory { get; }

    public static AuthorizationPolicy Policy(string level)
        => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ReverificationRequirement(level)).Build();

    public static AuthorizationPolicy Policy(ReverificationLevel level)
        => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ReverificationRequirement(level)).Build();

    public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, string level)
        => Authorization.AuthorizeAsync(user, resource: null, Policy(level));

    public void Dispose()
    {
        Checks.Dispose();
        _services.Dispose();
    }
}
