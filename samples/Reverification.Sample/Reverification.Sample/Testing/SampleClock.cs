namespace Reverification.Sample.Testing;

/// <summary>
/// The system clock plus an offset that can be moved forward. Registered as the app's <see cref="TimeProvider"/> only
/// when <c>Sample:EnableTestClock</c> is <c>true</c>, so that browser tests can make a verification stale without
/// waiting ten minutes. Everything that reads the time (token issuance and validation, reverification) uses it; the
/// authenticator-code check of ASP.NET Core Identity reads the real time, which is what an authenticator app shows.
/// </summary>
public sealed class SampleClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
