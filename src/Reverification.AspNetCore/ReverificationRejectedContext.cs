using Microsoft.AspNetCore.Http;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// What <see cref="ReverificationOptions.OnRejected"/> receives when a request needs reverification.
/// </summary>
public sealed class ReverificationRejectedContext
{
    internal ReverificationRejectedContext(HttpContext httpContext, ReverificationLevel level, ReverificationOutcome outcome, ReverificationApproval? approval = null, long approvalExpiresIn = 0)
    {
        HttpContext = httpContext;
        Level = level;
        Outcome = outcome;
        Approval = approval;
        _approvalExpiresIn = approvalExpiresIn;
    }

    private readonly long _approvalExpiresIn;

    /// <summary>The request's context. Its status code and challenge header are already set.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The level the user must reverify at: the most demanding failing one.</summary>
    public ReverificationLevel Level { get; }

    /// <summary>Why the level was not met.</summary>
    public ReverificationOutcome Outcome { get; }

    /// <summary>
    /// The new one-time approval the answer asks for, on an endpoint that requires one
    /// (<see cref="RequireApprovalAttribute"/>); otherwise <see langword="null"/>. A custom body must carry its id,
    /// summary and lifetime for clients to prompt; <see cref="WriteDefaultBodyAsync"/> does.
    /// </summary>
    public ReverificationApproval? Approval { get; }

    /// <summary>
    /// Writes the contract's JSON body (<c>{"clerk_error": ...}</c>) with its content type.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public Task WriteDefaultBodyAsync(CancellationToken cancellationToken = default)
        => Approval is { } approval
            ? ReverificationErrorBody.WriteAsync(HttpContext.Response, Level, approval, _approvalExpiresIn, cancellationToken)
            : ReverificationErrorBody.WriteAsync(HttpContext.Response, Level, cancellationToken);
}
