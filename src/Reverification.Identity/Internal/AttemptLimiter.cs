using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Reverification.Identity.Internal;

/// <summary>
/// The per-account attempt limit of the verification endpoints: a fixed window per user id
/// (<see cref="IdentityReverificationOptions.AttemptLimit"/> per <see cref="IdentityReverificationOptions.AttemptWindow"/>),
/// whatever the caller's network address. It is kept in this instance's memory; Identity's lockout, kept in the store,
/// is what every instance shares.
/// </summary>
internal sealed class AttemptLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _window;

    public AttemptLimiter(IOptions<IdentityReverificationOptions> options)
    {
        var value = options.Value;
        var limit = value.AttemptLimit;
        _window = value.AttemptWindow;
        var window = _window;
        _limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetFixedWindowLimiter(
            userId,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Takes one attempt of <paramref name="userId"/>'s window.</summary>
    /// <returns><see langword="null"/> when allowed; otherwise how long until the next attempt is.</returns>
    public TimeSpan? TryAcquire(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
    }

    public void Dispose() => _limiter.Dispose();
}
