using Microsoft.AspNetCore.Authorization;

namespace Reverification.Blazor.Internal;

/// <summary>One reverification requirement of a page, as the check endpoint's query names it.</summary>
/// <param name="Query">The query string of <c>GET {prefix}/check</c>: <c>level=strict</c> or <c>level=second_factor&amp;afterMinutes=5</c>.</param>
/// <param name="ServerEnforced">
/// Whether the server's authorization enforces it on every HTTP request that renders the page (the server package's
/// attribute, an <see cref="IAuthorizationRequirementData"/>): then a non-interactive render, which only happens inside
/// such a request, may show the page.
/// </param>
/// <param name="LevelName">The level's name; <see langword="null"/> for an inline level (factors and minutes).</param>
internal sealed record PageLevel(string Query, bool ServerEnforced, string? LevelName = null);
