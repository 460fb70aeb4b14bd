using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Reverification.Shared;

namespace Reverification.Blazor.Internal;

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
                    levels.Add(new PageLevel("level=" + Uri.EscapeDataString(name), ServerEnforced: false, name));
                    break;
                case RequireReverificationPageAttribute { Factors: { } factors, MaxAgeMinutes: { } minutes }:
                    levels.Add(new PageLevel(Inline(factors, minutes), ServerEnforced: false));
                    break;
                case IAuthorizationRequirementData when string.Equals(attribute.GetType().FullName, ServerAttributeName, StringComparison.Ordinal):
                    var serverName = ServerLevelName(attribute, pageType);
                    levels.Add(new PageLevel("level=" + Uri.EscapeDataString(serverName), ServerEnforced: true, serverName));
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
