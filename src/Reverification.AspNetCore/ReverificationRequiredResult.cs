using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Writes the reverification answer exactly as the authorization handler's failure does (status code, RFC 9470
/// challenge, body, the app's <see cref="ReverificationOptions.OnRejected"/> hook and browser redirect).
/// Create it with <see cref="ReverificationResults.Required(string)"/>.
/// </summary>
public sealed class ReverificationRequiredResult : IResult, IActionResult
{
    private readonly string? _levelName;
    private readonly ReverificationLevel? _level;

    internal ReverificationRequiredResult(string levelName) => _levelName = levelName;

    internal ReverificationRequiredResult(ReverificationLevel level) => _level = level;

    /// <summary>The name of the level asked for, or <see langword="null"/> for an inline level.</summary>
    internal string? LevelName => _level?.Name ?? _levelName;

    /// <inheritdoc />
    /// <remarks>
    /// An anonymous caller gets the normal authentication challenge (<see cref="AuthenticationHttpContextExtensions.ChallengeAsync(HttpContext)"/>,
    /// a 401 for JWT bearer; a bare 401 when the app has no default challenge scheme), never the reverification answer:
    /// signing in comes first. Otherwise the answer is written as the attribute writes it, with
    /// <see cref="ReverificationOutcome.MalformedClaims"/> passed to <see cref="ReverificationOptions.OnRejected"/> when the
    /// caller's verification claims are malformed. The check made here to tell these apart is not counted in the
    /// metrics or logged again (the app's own <c>HasReverified</c> was).
    /// </remarks>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var writer = services.GetService<ReverificationResponseWriter>()
            ?? throw new InvalidOperationException("Reverification services are not registered. Call builder.Services.AddReverification().");
        var service = services.GetRequiredService<ReverificationService>();
        var level = _level ?? service.GetLevel(_levelName!);
        switch (service.Classify(httpContext.User, level))
        {
            case ReverificationOutcome.Unauthenticated:
                if (services.GetService<IAuthenticationSchemeProvider>() is { } schemes
                    && await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false) is not null)
                {
                    await httpContext.ChallengeAsync().ConfigureAwait(false);
                }
                else
                {
                    httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }

                return;
            case ReverificationOutcome.MalformedClaims:
                await writer.WriteAsync(httpContext, level, ReverificationOutcome.MalformedClaims).ConfigureAwait(false);
                return;
            default:
                await writer.WriteAsync(httpContext, level, ReverificationOutcome.ReverificationRequired).ConfigureAwait(false);
                return;
        }
    }

    /// <inheritdoc />
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }
}
