using Microsoft.AspNetCore.Authorization;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Requires that the caller verified their credentials recently enough for a reverification level.
/// </summary>
/// <remarks>
/// <para>
/// Put it on a controller, an action, a Razor Page or a minimal API handler; or add the same metadata with
/// <c>.RequireReverification(...)</c> on any endpoint or group. It implements
/// <see cref="IAuthorizationRequirementData"/>, so ASP.NET Core's authorization middleware enforces it without a
/// named policy. When it appears several times (controller and action, group and endpoint) every level must pass,
/// and the error answer names the most demanding failing level.
/// </para>
/// <para>
/// It composes with <see cref="AuthorizeAttribute"/>, roles and policies: all must pass. An anonymous caller gets the
/// normal 401 challenge. <see cref="AllowAnonymousAttribute"/> on the endpoint (or on its controller) turns off all
/// authorization for it, this requirement included, exactly as it does for <see cref="AuthorizeAttribute"/>.
/// </para>
/// <para>
/// A level name that is neither a preset nor registered with
/// <see cref="ReverificationOptions.AddLevel(string, ReverificationFactors, double)"/> stops the application at
/// start-up with a message that names the endpoint and the level.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireReverificationAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly IAuthorizationRequirement[] _requirements;

    /// <summary>
    /// Requires the named level: a preset (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>) or one
    /// the app registered. Names are case-sensitive.
    /// </summary>
    /// <param name="level">The level's name.</param>
    /// <exception cref="ArgumentException"><paramref name="level"/> is null, empty or not a valid level name.</exception>
    public RequireReverificationAttribute(string level)
        : this(new ReverificationRequirement(level))
    {
    }

    /// <summary>
    /// Requires an inline (unnamed) level.
    /// </summary>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than zero; fractions such as 2.5 are allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public RequireReverificationAttribute(ReverificationFactors factors, double maxAgeMinutes)
        : this(new ReverificationRequirement(ReverificationLevel.Create(factors, maxAgeMinutes)))
    {
    }

    private RequireReverificationAttribute(ReverificationRequirement requirement)
    {
        Requirement = requirement;
        _requirements = [requirement];
    }

    /// <summary>The requirement this attribute adds to the endpoint's authorization policy.</summary>
    internal ReverificationRequirement Requirement { get; }

    /// <summary>The level's name, or <see langword="null"/> for an inline level.</summary>
    public string? LevelName => Requirement.LevelName;

    /// <summary>The inline level's factors, or <see langword="null"/> for a named level.</summary>
    public ReverificationFactors? Factors => Requirement.LevelName is null ? Requirement.Level!.Factors : null;

    /// <summary>The inline level's max age in minutes, or <see langword="null"/> for a named level.</summary>
    public double? MaxAgeMinutes => Requirement.LevelName is null ? Requirement.Level!.MaxAgeMinutes : null;

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => _requirements;
}
