using Microsoft.Extensions.Logging;

namespace Reverification.Blazor.Server.Internal;

/// <summary>Log events 500-501 (source-generated): never a receipt, claim or credential.</summary>
internal static partial class BlazorServerLog
{
    [LoggerMessage(EventId = 500, EventName = "VerificationReceiptApplied", Level = LogLevel.Debug,
        Message = "A verification receipt was applied to the circuit's authentication state.")]
    public static partial void ReceiptApplied(ILogger logger);

    [LoggerMessage(EventId = 501, EventName = "VerificationReceiptRefused", Level = LogLevel.Warning,
        Message = "A verification receipt was refused for the circuit: {Reason}.")]
    public static partial void ReceiptRefused(ILogger logger, string reason);
}
