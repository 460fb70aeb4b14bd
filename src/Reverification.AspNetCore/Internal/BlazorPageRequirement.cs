using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Recognises <c>Reverification.Blazor.ReverificationPageRequirement</c> (the requirement of
/// <c>[RequireReverificationPage]</c> on a page of a WebAssembly project) by its full name, since that package runs in
/// the browser and cannot reference this one, and reads it as the <see cref="ReverificationRequirement"/> it describes:
/// the handler, the result handler and the start-up check then treat it exactly as <c>[RequireReverification]</c>.
/// </summary>
internal static class BlazorPageRequirement
{
    internal const string TypeName = "Reverification.Blazor.ReverificationPageRequirement";

    // Requirement instances live as long as the endpoint metadata that holds them (the policy is cached per endpoint):
    // each is read once.
    private static readonly ConditionalWeakTable<IAuthorizationRequirement, ReverificationRequirement> Read = new();

    // Resolved once: in an app without Reverification.Blazor it is null, and every requirement costs one null check;
    // otherwise one type comparison.
    private static readonly Type? PageType = Type.GetType(TypeName + ", Reverification.Blazor", throwOnError: false);

    public static bool TryGet(IAuthorizationRequirement requirement, [NotNullWhen(true)] out ReverificationRequirement? reverification)
    {
        if (PageType is null || requirement.GetType() != PageType)
        {
            reverification = null;
            return false;
        }

        reverification = Read.GetValue(requirement, ToReverification);
        return true;
    }

    /// <summary>Whether it is the Blazor page requirement (without reading it).</summary>
    public static bool IsPageRequirement(IAuthorizationRequirement requirement)
        => PageType is not null && requirement.GetType() == PageType;

    /// <summary>A level name, or an inline level; anything else (a package of another version) throws, never a pass.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Server apps that render Blazor pages are not trimmed.")]
    private static ReverificationRequirement ToReverification(IAuthorizationRequirement requirement)
    {
        object? Property(string name) => requirement.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(requirement);

        if (Property("LevelName") is string name)
        {
            return new ReverificationRequirement(name);
        }

        // The client's enum has this package's values (first 1, second 2, multi 3); Create validates both arguments.
        if (Property("Factors") is Enum factors && Property("MaxAgeMinutes") is double minutes)
        {
            return new ReverificationRequirement(ReverificationLevel.Create((ReverificationFactors)Convert.ToInt32(factors, CultureInfo.InvariantCulture), minutes));
        }

        throw new InvalidOperationException(
            $"A page requires reverification with a {TypeName} this package cannot read: install the same version of Reverification.Blazor and Reverification.AspNetCore.");
    }
}
