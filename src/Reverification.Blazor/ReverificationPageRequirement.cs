using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Reverification.Shared;

namespace Reverification.Blazor;

/// <summary>
/// The authorization requirement of a <see cref="RequireReverificationPageAttribute"/>: the level that the server's
/// authorization enforces on every HTTP request that renders the page (static rendering, prerendering, enhanced
/// navigation).
/// </summary>
/// <remarks>
/// This package runs in the browser and cannot reference the server package, so <c>Reverification.AspNetCore</c>
/// recognises this type on the server once <c>AddReverification()</c> is called, and decides it exactly as its own
/// <c>[RequireReverification]</c> (the same levels, claim format, answer and redirect). Where nothing recognises it (the
/// server library is not registered), no handler succeeds it and the authorization middleware forbids the request:
/// never a pass.
/// </remarks>
public sealed class ReverificationPageRequirement : IAuthorizationRequirement
{
    internal ReverificationPageRequirement(string? levelName, ReverificationFactors? factors, double? maxAgeMinutes)
    {
        LevelName = levelName;
        Factors = factors;
        MaxAgeMinutes = maxAgeMinutes;
    }

    /// <summary>The level's name, or <see langword="null"/> for an inline level.</summary>
    public string? LevelName { get; }

    /// <summary>The inline level's factors, or <see langword="null"/> for a named level.</summary>
    public ReverificationFactors? Factors { get; }

    /// <summary>The inline level's max age in minutes, or <see langword="null"/> for a named level.</summary>
    public double? MaxAgeMinutes { get; }

    /// <inheritdoc />
    public override string ToString() => LevelName is { } name
        ? $"Reverification required at level '{name}' (page)."
        : string.Create(CultureInfo.InvariantCulture, $"Reverification required at level {ReverificationProtocol.FormatFactors(Factors!.Value)} within {MaxAgeMinutes} minutes (page).");
}
