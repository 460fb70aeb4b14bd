using Microsoft.AspNetCore.Http;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// What <see cref="ReverificationOptions.OnRejected"/> receives when a request needs reverification.
/// </summary>
public sealed class ReverificationRejectedContext
{
    internal ReverificationRejectedContext(HttpContext httpContext, ReverificationLevel level, ReverificationOutcome outcome)
    {
        HttpContext = httpContext;
        Level = level;
        Outcome = outcome;
    }

    /// <summary>The request's context. Its status code and challenge header are already set.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The level the user must reverify at: the most demanding failing one.</summary>
    public ReverificationLevel Level { get; }

    /// <summary>Why the level was not met.</summary>
    public ReverificationOutcome Outcome { get; }

    /// <summary>
    /// Writes the contract's JSON body (<c>{"clerk_error": ...}</c>) with its content type.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public Task WriteDefaultBodyAsync(CancellationToken cancellationToken = default)
        => ReverificationErrorBody.WriteAsync(HttpContext.Response, Level, cancellationToken);
}
