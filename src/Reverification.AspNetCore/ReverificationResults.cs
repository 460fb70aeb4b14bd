namespace Reverification.AspNetCore;

/// <summary>
/// Ready answers for code paths that decide at run time: the counterpart of Clerk's
/// <c>reverificationErrorResponse('strict')</c>.
/// </summary>
/// <example>
/// <code>
/// app.MapPost("/api/export", (HttpContext http) =>
///     http.HasReverified("strict") ? Results.Ok() : ReverificationResults.Required("strict"));
/// </code>
/// </example>
public static class ReverificationResults
{
    /// <summary>
    /// The reverification answer for the named level. Works as a minimal API <see cref="Microsoft.AspNetCore.Http.IResult"/>
    /// and as an MVC <see cref="Microsoft.AspNetCore.Mvc.IActionResult"/>.
    /// </summary>
    /// <param name="level">A preset's name or one the app registered; an unknown name throws when the result executes.</param>
    /// <returns>The result.</returns>
    public static ReverificationRequiredResult Required(string level)
    {
        ArgumentException.ThrowIfNullOrEmpty(level);
        return new ReverificationRequiredResult(level);
    }

    /// <summary>
    /// The reverification answer for <paramref name="level"/>.
    /// </summary>
    /// <param name="level">The level.</param>
    /// <returns>The result.</returns>
    public static ReverificationRequiredResult Required(ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return new ReverificationRequiredResult(level);
    }
}
