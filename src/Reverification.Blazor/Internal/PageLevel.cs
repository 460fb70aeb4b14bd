using System.Globalization;
using Reverification.Shared;

namespace Reverification.Blazor.Internal;

/// <summary>One reverification requirement of a page: a level name, or an inline level (factors and minutes).</summary>
/// <param name="LevelName">The level's name; <see langword="null"/> for an inline level.</param>
/// <param name="Factors">The inline level's factors; <see langword="null"/> for a named level.</param>
/// <param name="MaxAgeMinutes">The inline level's max age in minutes; <see langword="null"/> for a named level.</param>
/// <param name="ServerEnforced">
/// Whether the server's authorization enforces it on every HTTP request that renders the page (both attributes are
/// <c>IAuthorizationRequirementData</c>; <c>[AllowAnonymous]</c> on the page turns that off): then a non-interactive
/// render, which only happens inside such a request, may show the page.
/// </param>
internal sealed record PageLevel(string? LevelName, ReverificationFactors? Factors, double? MaxAgeMinutes, bool ServerEnforced)
{
    /// <summary>The query string of <c>GET {prefix}/check</c>: <c>level=strict</c> or <c>level=second_factor&amp;afterMinutes=5</c>.</summary>
    public string Query { get; } = LevelName is { } name
        ? "level=" + Uri.EscapeDataString(name)
        : string.Create(CultureInfo.InvariantCulture, $"level={ReverificationProtocol.FormatFactors(Factors!.Value)}&afterMinutes={MaxAgeMinutes!.Value:R}");
}
