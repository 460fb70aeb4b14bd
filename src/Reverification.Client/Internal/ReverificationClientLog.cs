using Microsoft.Extensions.Logging;

namespace Reverification.Client.Internal;

/// <summary>The client's log events. Stable ids; never a token or a body.</summary>
internal static partial class ReverificationClientLog
{
    [LoggerMessage(EventId = 101, EventName = "ReverificationRequested", Level = LogLevel.Debug,
        Message = "The server asked for reverification ({Challenge}) for {Method} {Uri}.")]
    public static partial void ReverificationRequested(ILogger logger, ReverificationChallenge challenge, HttpMethod method, string? uri);

    [LoggerMessage(EventId = 102, EventName = "ReverificationSucceeded", Level = LogLevel.Debug,
        Message = "Reverified; sending {Method} {Uri} again.")]
    public static partial void Retrying(ILogger logger, HttpMethod method, string? uri);

    [LoggerMessage(EventId = 103, EventName = "ReverificationCancelled", Level = LogLevel.Information,
        Message = "The user cancelled the reverification ({Challenge}); {Method} {Uri} is not sent again.")]
    public static partial void Cancelled(ILogger logger, ReverificationChallenge challenge, HttpMethod method, string? uri);

    [LoggerMessage(EventId = 104, EventName = "RetryStillRequiresReverification", Level = LogLevel.Warning,
        Message = "The retry of {Method} {Uri} after reverifying was answered {StatusCode} again; the answer is returned to the caller. Does the retry carry the fresh credentials?")]
    public static partial void RetryRefused(ILogger logger, HttpMethod method, string? uri, int statusCode);

    [LoggerMessage(EventId = 105, EventName = "RequestNotReplayable", Level = LogLevel.Warning,
        Message = "{Method} {Uri} needs reverification ({Challenge}), but {Reason}; no prompt is shown.")]
    public static partial void NotReplayable(ILogger logger, HttpMethod method, string? uri, ReverificationChallenge challenge, string reason);

    [LoggerMessage(EventId = 106, EventName = "ReverifiedMeanwhile", Level = LogLevel.Debug,
        Message = "A reverification completed while {Method} {Uri} was in flight; sending it again without a prompt.")]
    public static partial void ReverifiedMeanwhile(ILogger logger, HttpMethod method, string? uri);
}
