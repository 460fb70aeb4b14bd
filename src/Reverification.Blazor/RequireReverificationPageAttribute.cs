using Microsoft.AspNetCore.Authorization;
using Reverification.Shared;

namespace Reverification.Blazor;

/// <summary>
/// Requires a recent verification before a routable component (a page) is shown, in a Blazor WebAssembly project where
/// the server package's <c>[RequireReverification]</c> cannot be referenced. The server's authorization enforces it on
/// every HTTP request that renders the page, and <see cref="ReverificationGuard"/> on interactive navigation.
/// </summary>
/// <remarks>
/// <para>
/// Pages of the server project use <c>Reverification.AspNetCore</c>'s <c>[RequireReverification]</c> instead: the
/// server's authorization enforces it on every HTTP request (static rendering, prerendering, enhanced navigation), and
/// <see cref="ReverificationGuard"/> reads it as well for interactive navigation.
/// </para>
/// <para>
/// It implements <see cref="IAuthorizationRequirementData"/>: on the server (the razor components endpoint carries the
/// page's attributes) <c>Reverification.AspNetCore</c> enforces its <see cref="ReverificationPageRequirement"/> as it
/// does <c>[RequireReverification]</c>, once <c>AddReverification()</c> is called; without it the request is forbidden,
/// never passed. A render without interactivity (static rendering, prerendering) therefore happens only for a request
/// that passed, and the guard shows the page then. Interactive navigation makes no HTTP request: there the guard asks.
/// </para>
/// <para>
/// In the browser the check is for the user's benefit (the page asks for the verification before it shows), never a
/// protection of data. The API endpoints the page calls must require the level themselves.
/// </para>
/// <para>
/// Several attributes on one page (or its base classes) must all pass. A level name must be a preset or one the
/// server registered: the server refuses unknown names on its pages at start-up, and the check endpoint answers them
/// with 400 (the guard then shows an error instead of the page). <c>[AllowAnonymous]</c> on such a page stops the
/// server's start-up: it would turn the server's enforcement off.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RequireReverificationPageAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly IAuthorizationRequirement[] _requirements;

    /// <summary>Requires the named level: <c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>, or one the server registered.</summary>
    /// <param name="level">The level's name (case-sensitive).</param>
    /// <exception cref="ArgumentException">Not a valid level name: 1 to 64 ASCII letters, digits, <c>_</c>, <c>-</c>, <c>.</c>.</exception>
    public RequireReverificationPageAttribute(string level)
    {
        if (string.IsNullOrEmpty(level) || level.Length > 64 || !level.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException("A level name is 1 to 64 ASCII letters, digits, '_', '-' or '.', such as \"strict\".", nameof(level));
        }

        LevelName = level;
        _requirements = [new ReverificationPageRequirement(level, null, null)];
    }

    /// <summary>Requires an inline level.</summary>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than 0 and at most 527040 (366 days); fractions allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RequireReverificationPageAttribute(ReverificationFactors factors, double maxAgeMinutes)
    {
        if (!ReverificationProtocol.IsDefined(factors))
        {
            throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor.");
        }

        if (!(maxAgeMinutes > 0 && maxAgeMinutes <= ReverificationProtocol.MaxAllowedMaxAgeMinutes))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAgeMinutes), maxAgeMinutes, "The max age must be greater than 0 and at most 527040 minutes (366 days).");
        }

        Factors = factors;
        MaxAgeMinutes = maxAgeMinutes;
        _requirements = [new ReverificationPageRequirement(null, factors, maxAgeMinutes)];
    }

    /// <summary>The level's name, or <see langword="null"/> for an inline level.</summary>
    public string? LevelName { get; }

    /// <summary>The inline level's factors, or <see langword="null"/> for a named level.</summary>
    public ReverificationFactors? Factors { get; }

    /// <summary>The inline level's max age in minutes, or <see langword="null"/> for a named level.</summary>
    public double? MaxAgeMinutes { get; }

    /// <summary>The requirement the server's authorization enforces on every HTTP request that renders the page.</summary>
    /// <returns>One <see cref="ReverificationPageRequirement"/>.</returns>
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => _requirements;
}
