using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.AspNetCore;

/// <summary>
/// Reverification checks and recording from a request.
/// </summary>
public static class ReverificationHttpContextExtensions
{
    /// <summary>
    /// Whether the request's user reverified recently enough for the named level: Clerk's
    /// <c>has({ reverification: 'strict' })</c>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="level">A preset's name or one the app registered.</param>
    /// <returns><see langword="true"/> only when the check passes; anonymous and malformed claims are <see langword="false"/>.</returns>
    /// <exception cref="ArgumentException">No level has that name.</exception>
    public static bool HasReverified(this HttpContext context, string level)
    {
        ArgumentNullException.ThrowIfNull(context);
        return GetService(context).Check(context.User, level) == ReverificationOutcome.Passed;
    }

    /// <summary>
    /// Whether the request's user reverified recently enough for <paramref name="level"/>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="level">The level.</param>
    /// <returns><see langword="true"/> only when the check passes.</returns>
    public static bool HasReverified(this HttpContext context, ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(context);
        return GetService(context).Check(context.User, level) == ReverificationOutcome.Passed;
    }

    /// <summary>
    /// Records that the user verified <paramref name="verified"/> just now by refreshing the cookie ticket
    /// (see <see cref="ReverificationRecorder.RefreshCookieAsync"/>).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="verified">The factors the app verified just now.</param>
    /// <param name="scheme">The cookie scheme, or <see langword="null"/> for the default.</param>
    /// <returns>A task that completes when the cookie is written.</returns>
    public static Task RecordReverificationAsync(this HttpContext context, ReverificationFactors verified, string? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recorder = context.RequestServices.GetService<ReverificationRecorder>() ?? throw NotRegistered();
        return recorder.RefreshCookieAsync(context, verified, scheme);
    }

    private static IReverificationService GetService(HttpContext context)
        => context.RequestServices.GetService<IReverificationService>() ?? throw NotRegistered();

    private static InvalidOperationException NotRegistered()
        => new("Reverification services are not registered. Call builder.Services.AddReverification().");
}
