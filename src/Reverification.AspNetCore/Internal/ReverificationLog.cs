using Microsoft.Extensions.Logging;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The library's log events. Stable ids; never a token or a claim value.
/// </summary>
internal static partial class ReverificationLog
{
    [LoggerMessage(EventId = 1, EventName = "ReverificationRequired", Level = LogLevel.Debug,
        Message = "Reverification required at level '{Level}' ({Outcome}) for '{Path}'.")]
    public static partial void ReverificationRequired(ILogger logger, ReverificationLevel level, ReverificationOutcome outcome, string? path);

    [LoggerMessage(EventId = 2, EventName = "MalformedVerificationClaims", Level = LogLevel.Warning,
        Message = "The verification claim '{ClaimType}' ({Format} format) is malformed; the request is denied. Claim values are not logged.")]
    public static partial void MalformedClaims(ILogger logger, string format, string claimType);

    [LoggerMessage(EventId = 3, EventName = "ClaimsReaderFailed", Level = LogLevel.Error,
        Message = "The {Format} verification claims reader threw {ExceptionType}; the request is denied as malformed.")]
    public static partial void ClaimsReaderFailed(ILogger logger, string format, string exceptionType);

    [LoggerMessage(EventId = 4, EventName = "UnknownReverificationLevel", Level = LogLevel.Error,
        Message = "The reverification level '{Level}' is not registered; the request is denied. Register it with AddReverification(o => o.AddLevel(...)).")]
    public static partial void UnknownLevel(ILogger logger, string level);

    [LoggerMessage(EventId = 5, EventName = "ReverificationConfigurationError", Level = LogLevel.Critical,
        Message = "Reverification configuration error: {Problem}")]
    public static partial void ConfigurationError(ILogger logger, string problem);

    [LoggerMessage(EventId = 6, EventName = "ResponseAlreadyStarted", Level = LogLevel.Warning,
        Message = "The reverification error answer could not be written because the response has already started.")]
    public static partial void ResponseAlreadyStarted(ILogger logger);

    [LoggerMessage(EventId = 7, EventName = "ReverifyRedirectNotLocal", Level = LogLevel.Warning,
        Message = "The redirect to the reverify page was not sent because its location '{Location}' would leave the site; the error answer was sent instead. Check ReverifyPath, the proxy's X-Forwarded-Prefix and the forwarded headers options.")]
    public static partial void RedirectNotLocal(ILogger logger, string location);

    [LoggerMessage(EventId = 8, EventName = "FutureVerificationTime", Level = LogLevel.Warning,
        Message = "The verification claim '{ClaimType}' ({Format} format) states a time ahead of this clock by more than the allowed skew; the request is denied. Check the clocks of the token issuer and this server. Claim values are not logged.")]
    public static partial void FutureVerificationTime(ILogger logger, string format, string claimType);

    [LoggerMessage(EventId = 9, EventName = "MixedSubjectVerificationClaims", Level = LogLevel.Warning,
        Message = "Two authenticated identities of different (or unnamed) subjects carry verification claims ({Format} format); times of two users never combine, so the request is denied.")]
    public static partial void MixedSubjects(ILogger logger, string format);
}
