using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore;

/// <summary>
/// The reason the reverification handler gives when it fails a requirement. The middleware result handler turns
/// a failure that carries only such reasons into the reverification error answer.
/// </summary>
public sealed class ReverificationFailureReason : AuthorizationFailureReason
{
    /// <summary>
    /// Creates the reason.
    /// </summary>
    /// <param name="handler">The handler that failed the requirement.</param>
    /// <param name="requirement">The requirement that failed.</param>
    /// <param name="level">The level that was not met.</param>
    /// <param name="outcome">Why it was not met.</param>
    public ReverificationFailureReason(IAuthorizationHandler handler, ReverificationRequirement requirement, ReverificationLevel level, ReverificationOutcome outcome)
        : base(handler, $"Reverification required at level '{level}' ({outcome}).")
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(level);
        Requirement = requirement;
        Level = level;
        Outcome = outcome;
    }

    /// <summary>The requirement that failed.</summary>
    public ReverificationRequirement Requirement { get; }

    /// <summary>The level that was not met.</summary>
    public ReverificationLevel Level { get; }

    /// <summary>Why the level was not met.</summary>
    public ReverificationOutcome Outcome { get; }
}
