using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Reverification.Shared;

namespace Reverification.Blazor.Internal;

/// <summary>One reverification requirement of a page, as the check endpoint's query names it.</summary>
/// <param name="Query">The query string of <c>GET {prefix}/check</c>: <c>level=strict</c> or <c>level=second_factor&amp;afterMinutes=5</c>.</param>
/// <param name="ServerEnforced">
/// Whether the server's authorization enforces it on every HTTP request that renders the page (the server package's
/// attribute, an <see cref="IAuthorizationRequirementData"/>): then a non-interactive render, which only happens inside
/// such a request, may show the page.
/// </param>
internal sealed record PageLevel(string Query, bool ServerEnforced);

/// <summary>
/// Reads the reverification requirements of a page type, once per type: <see cref="RequireReverificationPageAttribute"/>,
/// and the server package's <c>Reverification.AspNetCore.RequireReverificationAttribute</c>, read by its name and its
/// <c>LevelName</c> property, since this package (WebAssembly-safe) cannot reference the server package.
/// </summary>
internal static class PageLevels
{
    private const string ServerAttributeName = "Reverification.AspNetCore.RequireReverificationAttribute";

    private static readonly ConcurrentDictionary<Type, PageLevel[]> Cache = new();

    public static PageLevel[] Of(Type pageType) => Cache.GetOrAdd(pageType, Read);

    private static PageLevel[] Read(Type pageType)
    {
        var levels = new List<PageLevel>();
        foreach (var attribute in pageType.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case RequireReverificationPageAttribute { LevelName: { } name }:
                    levels.Add(new PageLevel("level=" + Uri.EscapeDataString(name), ServerEnforced: false));
                    break;
                case RequireReverificationPageAttribute { Factors: { } factors, MaxAgeMinutes: { } minutes }:
                    levels.Add(new PageLevel(Inline(factors, minutes), ServerEnforced: false));
                    break;
                case IAuthorizationRequirementData when string.Equals(attribute.GetType().FullName, ServerAttributeName, StringComparison.Ordinal):
                    levels.Add(new PageLevel("level=" + Uri.EscapeDataString(ServerLevelName(attribute, pageType)), ServerEnforced: true));
                    break;
            }
        }

        return [.. levels];
    }

    private static string Inline(ReverificationFactors factors, double minutes)
        => string.Create(CultureInfo.InvariantCulture, $"level={ReverificationProtocol.FormatFactors(factors)}&afterMinutes={minutes:R}");

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The server package's attribute exists only in server apps, which are not trimmed; a trimmed WebAssembly app cannot reference it.")]
    private static string ServerLevelName(object attribute, Type pageType)
        => attribute.GetType().GetProperty("LevelName", BindingFlags.Public | BindingFlags.Instance)?.GetValue(attribute) as string
            ?? throw new InvalidOperationException(
                $"The page {pageType.FullName} has [RequireReverification] with an inline level, which ReverificationGuard cannot check interactively: "
                + "register the level by name (AddReverification(o => o.AddLevel(\"name\", factors, minutes))) and use [RequireReverification(\"name\")].");
}
