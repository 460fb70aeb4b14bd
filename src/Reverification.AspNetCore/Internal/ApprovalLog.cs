using Microsoft.Extensions.Logging;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Log events of one-time approvals, ids 20 to 29. An approval id is a bearer secret until it is consumed: only its
/// first characters are logged (<see cref="ApprovalIds.Prefix"/>); never a body, a field value or a claim value.
/// </summary>
internal static partial class ApprovalLog
{
    [LoggerMessage(EventId = 20, EventName = "ApprovalIssued", Level = LogLevel.Debug,
        Message = "Approval {IdPrefix} issued at level '{Level}' for '{Path}', expiring in {ExpiresInSeconds} s.")]
    public static partial void Issued(ILogger logger, string idPrefix, string level, string? path, long expiresInSeconds);

    [LoggerMessage(EventId = 21, EventName = "ApprovalApproved", Level = LogLevel.Information,
        Message = "Approval {IdPrefix} approved with {Factors}.")]
    public static partial void Approved(ILogger logger, string idPrefix, string factors);

    [LoggerMessage(EventId = 22, EventName = "ApprovalConsumed", Level = LogLevel.Information,
        Message = "Approval {IdPrefix} consumed at level '{Level}' for '{Path}'.")]
    public static partial void Consumed(ILogger logger, string idPrefix, string level, string? path);

    [LoggerMessage(EventId = 23, EventName = "ApprovalRefused", Level = LogLevel.Warning,
        Message = "Approval {IdPrefix} refused ({Reason}) for '{Path}'; a new approval is asked for.")]
    public static partial void Refused(ILogger logger, string idPrefix, string reason, string? path);

    [LoggerMessage(EventId = 24, EventName = "ApprovalNotApproved", Level = LogLevel.Warning,
        Message = "Approval {IdPrefix} was not approved ({Reason}).")]
    public static partial void NotApproved(ILogger logger, string idPrefix, string reason);

    [LoggerMessage(EventId = 25, EventName = "ApprovalStoreUnavailable", Level = LogLevel.Error,
        Message = "The approval store ({Store}) failed with {ExceptionType} during {Operation}; the request fails closed (503).")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string store, string exceptionType, string operation);

    [LoggerMessage(EventId = 26, EventName = "ApprovalRequestRefused", Level = LogLevel.Information,
        Message = "An approval cannot bind the request to '{Path}': {Detail}")]
    public static partial void RequestRefused(ILogger logger, string? path, string detail);

    [LoggerMessage(EventId = 27, EventName = "ApprovalNoSubject", Level = LogLevel.Warning,
        Message = "The caller of '{Path}' has no single subject claim (sub or name identifier) to bind an approval to; the request is refused.")]
    public static partial void NoSubject(ILogger logger, string? path);
}
