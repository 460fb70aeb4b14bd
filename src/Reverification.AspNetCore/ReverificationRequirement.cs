using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore;

/// <summary>
/// An authorization requirement that passes when the user verified their credentials recently enough for a level.
/// </summary>
/// <remarks>
/// It holds only what identifies the level (a name, or an inline level), so policies that contain it can be cached;
/// thresholds of named app levels are looked up in <see cref="ReverificationOptions"/> when the handler runs. Use it
/// in a policy with <see cref="AuthorizationPolicyBuilder.AddRequirements(IAuthorizationRequirement[])"/>, or more
/// simply through <see cref="RequireReverificationAttribute"/> and <c>.RequireReverification(...)</c>.
/// </remarks>
public sealed class ReverificationRequirement : IAuthorizationRequirement
{
    /// <summary>
    /// Creates a requirement for a named level: a preset or one the app registers.
    /// </summary>
    /// <param name="levelName">The level's name (ordinal, case-sensitive).</param>
    /// <exception cref="ArgumentException"><paramref name="levelName"/> is null, empty or not a valid level name.</exception>
    public ReverificationRequirement(string levelName)
    {
        if (string.IsNullOrEmpty(levelName))
        {
            throw new ArgumentException("A reverification level name is required, e.g. \"strict\".", nameof(levelName));
        }

        ReverificationLevel.ValidateName(levelName, nameof(levelName));
        LevelName = levelName;
        ReverificationLevel.TryGetPreset(levelName, out var preset);
        Level = preset;
    }

    /// <summary>
    /// Creates a requirement for <paramref name="level"/>.
    /// </summary>
    /// <param name="level">The level.</param>
    public ReverificationRequirement(ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        Level = level;
        LevelName = level.Name;
    }

    /// <summary>The level's name, or <see langword="null"/> for an inline level.</summary>
    public string? LevelName { get; }

    /// <summary>
    /// The level when it is known without options (a preset, or a level passed in), otherwise
    /// <see langword="null"/>: an app level that is looked up by <see cref="LevelName"/> when the handler runs.
    /// </summary>
    public ReverificationLevel? Level { get; }

    /// <inheritdoc />
    public override string ToString() => $"Reverification required at level '{Level?.ToString() ?? LevelName}'.";
}
