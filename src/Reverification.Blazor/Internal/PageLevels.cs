using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Reverification.Shared;

namespace Reverification.Blazor.Internal;

/// <summary>
/// Reads the reverification requirements of a page type, once per type: <see cref="RequireReverificationPageAttribute"/>,
/// and the server package's <c>Reverification.AspNetCore.RequireReverificationAttribute</c>, read by its name and its
/// <c>LevelName</c>, <c>Factors</c> and <c>MaxAgeMinutes</c> properties, since this package (WebAssembly-safe) cannot
/// reference the server package.
/// </summary>
internal static class PageLevels
{
    private const string ServerAttributeName = "Reverification.AspNetCore.RequireReverificationAttribute";

    private static readonly ConcurrentDictionary<Type, PageLevel[]> Cache = new();

    public static PageLevel[] Of(Type pageType) => Cache.GetOrAdd(pageType, Read);

    private static PageLevel[] Read(Type pageType)
    {
        var attributes = pageType.GetCustomAttributes(inherit: true);

        // [AllowAnonymous] turns the server's authorization off for the page's requests (the server's start-up check
        // refuses it beside a reverification attribute; this holds where that check did not run).
        var enforced = !attributes.Any(static a => a is IAllowAnonymous);
        var levels = new List<PageLevel>();
        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case RequireReverificationPageAttribute page:
                    levels.Add(new PageLevel(page.LevelName, page.Factors, page.MaxAgeMinutes, enforced));
                    break;
                case IAuthorizationRequirementData when string.Equals(attribute.GetType().FullName, ServerAttributeName, StringComparison.Ordinal):
                    levels.Add(ServerLevel(attribute, pageType, enforced));
                    break;
            }
        }

        return [.. levels];
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The server package's attribute exists only in server apps, which are not trimmed; a trimmed WebAssembly app cannot reference it.")]
    private static PageLevel ServerLevel(object attribute, Type pageType, bool enforced)
    {
        object? Property(string name) => attribute.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(attribute);

        if (Property("LevelName") is string name)
        {
            return new PageLevel(name, null, null, enforced);
        }

        // An inline level: the server's enum has the client's values (first 1, second 2, multi 3).
        if (Property("Factors") is Enum factors && Property("MaxAgeMinutes") is double minutes
            && (ReverificationFactors)Convert.ToInt32(factors, System.Globalization.CultureInfo.InvariantCulture) is var value
            && ReverificationProtocol.IsDefined(value))
        {
            return new PageLevel(null, value, minutes, enforced);
        }

        throw new InvalidOperationException(
            $"The page {pageType.FullName} has a [RequireReverification] that ReverificationGuard cannot read: its Reverification.AspNetCore package "
            + "does not match this Reverification.Blazor package. Install the same version of both.");
    }
}
