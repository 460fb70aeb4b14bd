namespace Reverification.Identity.Internal;

/// <summary>How a verification attempt ended; its name is the metric tag.</summary>
internal enum AttemptResult
{
    Verified,
    Wrong,
    LockedOut,
    Replayed,
    RateLimited,
}
