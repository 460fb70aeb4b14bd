using Microsoft.Extensions.Logging;
using Reverification.AspNetCore;

namespace Reverification.Identity.Internal;

/// <summary>
/// Log events of sign-in recording and security-stamp revocation: ids 350 to 399. Never a claim value, a stamp or a
/// credential; user ids only at debug level.
/// </summary>
internal static partial class IdentitySignInLog
{
    [LoggerMessage(EventId = 350, EventName = "SignInRecorded", Level = LogLevel.Debug,
        Message = "Sign-in by {Method} recorded the factors verified now: {Factors} ((null): none).")]
    public static partial void SignInRecorded(ILogger logger, string method, ReverificationFactors? factors);

    [LoggerMessage(EventId = 351, EventName = "SignInRefreshKeptTimes", Level = LogLevel.Debug,
        Message = "A refreshed sign-in ({Operation}) kept the recorded verification times as they were.")]
    public static partial void RefreshKeptTimes(ILogger logger, string operation);

    [LoggerMessage(EventId = 352, EventName = "VerificationRevoked", Level = LogLevel.Information,
        Message = "Verification times of the {Scheme} identity no longer count: {Reason}.")]
    public static partial void VerificationRevoked(ILogger logger, string? scheme, string reason);

    [LoggerMessage(EventId = 353, EventName = "VerificationRecorded", Level = LogLevel.Debug,
        Message = "Reverification recorded into a refreshed sign-in: {Factors}.")]
    public static partial void VerificationRecorded(ILogger logger, ReverificationFactors factors);
}
