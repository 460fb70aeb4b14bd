using Microsoft.Extensions.Logging;
using Reverification.AspNetCore;

namespace Reverification.Identity.Internal;

/// <summary>
/// The package's log events, ids 300 and up. They name the user by id and the method; never a password, a code, a
/// recovery code or a passkey credential.
/// </summary>
internal static partial class IdentityReverificationLog
{
    [LoggerMessage(EventId = 300, EventName = "ReverificationVerified", Level = LogLevel.Information,
        Message = "User {UserId} verified again with the {Method}; recorded {Factors}.")]
    public static partial void Verified(ILogger logger, string userId, string method, ReverificationFactors factors);

    [LoggerMessage(EventId = 301, EventName = "ReverificationWrongAnswer", Level = LogLevel.Warning,
        Message = "User {UserId} gave a wrong {Method}; counted against the account's lockout.")]
    public static partial void WrongAnswer(ILogger logger, string userId, string method);

    [LoggerMessage(EventId = 302, EventName = "ReverificationLockedOut", Level = LogLevel.Warning,
        Message = "User {UserId} is locked out until {LockoutEnd}; the {Method} was not checked.")]
    public static partial void LockedOut(ILogger logger, string userId, string method, DateTimeOffset? lockoutEnd);

    [LoggerMessage(EventId = 303, EventName = "AuthenticatorCodeReplayed", Level = LogLevel.Warning,
        Message = "User {UserId} gave an authenticator code whose time step was already used; refused.")]
    public static partial void CodeReplayed(ILogger logger, string userId);

    [LoggerMessage(EventId = 304, EventName = "ReverificationRateLimited", Level = LogLevel.Warning,
        Message = "User {UserId} made too many verification attempts; the {Method} was not checked.")]
    public static partial void RateLimited(ILogger logger, string userId, string method);

    [LoggerMessage(EventId = 305, EventName = "ReverificationMethodUnavailable", Level = LogLevel.Information,
        Message = "User {UserId} asked to verify with the {Method}, which the account does not have.")]
    public static partial void MethodUnavailable(ILogger logger, string userId, string method);

    [LoggerMessage(EventId = 306, EventName = "ReverificationUserNotFound", Level = LogLevel.Warning,
        Message = "The signed-in user {UserId} no longer exists in the Identity store; the {Method} was not checked.")]
    public static partial void UserNotFound(ILogger logger, string userId, string method);

    [LoggerMessage(EventId = 307, EventName = "ReverificationCannotRecord", Level = LogLevel.Error,
        Message = "A verification by the {Method} cannot be recorded: {Problem}")]
    public static partial void CannotRecord(ILogger logger, string method, string problem);

    [LoggerMessage(EventId = 308, EventName = "AuthenticatorStepNotRecorded", Level = LogLevel.Warning,
        Message = "The authenticator code of user {UserId} could not be recorded as used ({Reason}); refused.")]
    public static partial void StepNotRecorded(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 309, EventName = "AuthenticatorLastStepUnreadable", Level = LogLevel.Warning,
        Message = "The last used authenticator step of user {UserId} is not a number; the next accepted code overwrites it.")]
    public static partial void LastStepUnreadable(ILogger logger, string userId);

    [LoggerMessage(EventId = 310, EventName = "AccessFailedNotCounted", Level = LogLevel.Warning,
        Message = "A failed verification of user {UserId} could not be counted against the lockout ({Reason}).")]
    public static partial void AccessFailedNotCounted(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 311, EventName = "PasskeyAssertionFailed", Level = LogLevel.Warning,
        Message = "The passkey assertion of user {UserId} failed: {Failure}")]
    public static partial void PasskeyAssertionFailed(ILogger logger, string userId, string failure);

    [LoggerMessage(EventId = 312, EventName = "ReverificationBadRequest", Level = LogLevel.Debug,
        Message = "A {Method} verification request was refused as bad input: {Problem}")]
    public static partial void BadRequest(ILogger logger, string method, string problem);

    [LoggerMessage(EventId = 313, EventName = "ReverificationResetConflict", Level = LogLevel.Warning,
        Message = "User {UserId} gave a right {Method}, but the failed-attempt count could not be reset (the user changed concurrently); refused, as SignInManager does.")]
    public static partial void ResetConflict(ILogger logger, string userId, string method);
}
