using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Reverification.Shared;

namespace Reverification.AspNetCore;

/// <summary>
/// A reverification requirement: which factors must have been verified, and how recently.
/// </summary>
/// <remarks>
/// <para>
/// The four presets of the contract are <see cref="StrictMfa"/>, <see cref="Strict"/>, <see cref="Moderate"/>
/// and <see cref="Lax"/>. Apps register their own named levels with
/// <see cref="ReverificationOptions.AddLevel(string, ReverificationFactors, double)"/>, or use an unnamed
/// (inline) level created with <see cref="Create(ReverificationFactors, double)"/>.
/// </para>
/// <para>
/// A verification passes when its age is strictly less than <see cref="MaxAge"/>: an age equal to the
/// maximum age fails.
/// </para>
/// </remarks>
public sealed class ReverificationLevel : IEquatable<ReverificationLevel>
{
    /// <summary>The name of the <see cref="StrictMfa"/> preset: <c>strict_mfa</c>.</summary>
    public const string StrictMfaName = ReverificationProtocol.StrictMfaName;

    /// <summary>The name of the <see cref="Strict"/> preset: <c>strict</c>.</summary>
    public const string StrictName = ReverificationProtocol.StrictName;

    /// <summary>The name of the <see cref="Moderate"/> preset: <c>moderate</c>.</summary>
    public const string ModerateName = ReverificationProtocol.ModerateName;

    /// <summary>The name of the <see cref="Lax"/> preset: <c>lax</c>.</summary>
    public const string LaxName = ReverificationProtocol.LaxName;

    /// <summary>The longest maximum age a level may have: 366 days.</summary>
    internal static readonly TimeSpan MaxAllowedMaxAge = TimeSpan.FromMinutes(ReverificationProtocol.MaxAllowedMaxAgeMinutes);

    /// <summary>Both factors verified within the last 10 minutes (<c>strict_mfa</c>).</summary>
    public static ReverificationLevel StrictMfa { get; } = FromPreset(ReverificationProtocol.StrictMfa);

    /// <summary>The second factor verified within the last 10 minutes (<c>strict</c>).</summary>
    public static ReverificationLevel Strict { get; } = FromPreset(ReverificationProtocol.Strict);

    /// <summary>The second factor verified within the last 60 minutes (<c>moderate</c>).</summary>
    public static ReverificationLevel Moderate { get; } = FromPreset(ReverificationProtocol.Moderate);

    /// <summary>The second factor verified within the last 1440 minutes, 24 hours (<c>lax</c>).</summary>
    public static ReverificationLevel Lax { get; } = FromPreset(ReverificationProtocol.Lax);

    /// <summary>The four presets, most demanding first.</summary>
    internal static IReadOnlyList<ReverificationLevel> Presets { get; } = [StrictMfa, Strict, Moderate, Lax];

    private ReverificationLevel(string? name, ReverificationFactors factors, double maxAgeMinutes, bool isPreset)
    {
        if (name is not null)
        {
            ValidateName(name, nameof(name));
        }

        ValidateFactors(factors, nameof(factors));
        ValidateMaxAge(maxAgeMinutes, nameof(maxAgeMinutes));
        Name = name;
        Factors = factors;
        MaxAgeMinutes = maxAgeMinutes;
        MaxAge = TimeSpan.FromMinutes(maxAgeMinutes);
        IsPreset = isPreset;
    }

    /// <summary>
    /// The level's name (<c>strict</c>, or an app-registered name), or <see langword="null"/> for an inline level.
    /// </summary>
    public string? Name { get; }

    /// <summary>Which factors must be fresh.</summary>
    public ReverificationFactors Factors { get; }

    /// <summary>How recent a verification must be, in minutes (may be fractional, always &gt; 0).</summary>
    public double MaxAgeMinutes { get; }

    /// <summary>How recent a verification must be. A verification whose age equals this fails.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>
    /// Whether this is one of the four presets. The error answer names presets by name and describes every
    /// other level as <c>{"level": ..., "afterMinutes": ...}</c>.
    /// </summary>
    internal bool IsPreset { get; }

    private static ReverificationLevel FromPreset(ReverificationProtocol.Preset preset)
        => new(preset.Name, preset.Factors, preset.MaxAgeMinutes, isPreset: true);

    /// <summary>
    /// Creates an unnamed (inline) level.
    /// </summary>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">The maximum age in minutes: finite, greater than zero, at most 366 days; fractions allowed.</param>
    /// <returns>The level.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factors"/> or <paramref name="maxAgeMinutes"/> is out of range.</exception>
    public static ReverificationLevel Create(ReverificationFactors factors, double maxAgeMinutes)
        => new(name: null, factors, maxAgeMinutes, isPreset: false);

    /// <summary>
    /// Creates a named level for an app to register.
    /// </summary>
    /// <param name="name">
    /// The name: 1 to 64 characters of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, not a preset's name.
    /// </param>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">The maximum age in minutes: finite, greater than zero, at most 366 days; fractions allowed.</param>
    /// <returns>The level.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid level name, or is a preset's name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factors"/> or <paramref name="maxAgeMinutes"/> is out of range.</exception>
    internal static ReverificationLevel Create(string name, ReverificationFactors factors, double maxAgeMinutes)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGetPreset(name, out _))
        {
            throw new ArgumentException($"'{name}' is a preset level and cannot be redefined; choose another name for the app's own level.", nameof(name));
        }

        return new(name, factors, maxAgeMinutes, isPreset: false);
    }

    /// <summary>
    /// Finds a preset by its name (ordinal, case-sensitive).
    /// </summary>
    /// <param name="name">The name, e.g. <c>strict</c>.</param>
    /// <param name="level">The preset, when found.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a preset's name.</returns>
    internal static bool TryGetPreset(string? name, [NotNullWhen(true)] out ReverificationLevel? level)
    {
        level = name switch
        {
            StrictMfaName => StrictMfa,
            StrictName => Strict,
            ModerateName => Moderate,
            LaxName => Lax,
            _ => null,
        };
        return level is not null;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a valid level name: 1 to 64 characters of ASCII letters, digits,
    /// <c>_</c>, <c>-</c> and <c>.</c>. Level names reach JSON bodies and logs, so nothing else is accepted.
    /// </summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> when the name is valid.</returns>
    internal static bool IsValidName([NotNullWhen(true)] string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(ReverificationLevel? other)
        => other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && Factors == other.Factors
            && MaxAge == other.MaxAge;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReverificationLevel);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Factors, MaxAge);

    /// <summary>
    /// The level as text: its name, or <c>second_factor within 2.5 minutes</c> for an inline level.
    /// </summary>
    /// <returns>A description of the level.</returns>
    public override string ToString()
        => Name ?? string.Create(CultureInfo.InvariantCulture, $"{FactorsToString(Factors)} within {MaxAgeMinutes} minutes");

    /// <summary>
    /// The contract's spelling of <paramref name="factors"/>: <c>first_factor</c>, <c>second_factor</c> or <c>multi_factor</c>.
    /// </summary>
    /// <param name="factors">The factors.</param>
    /// <returns>The spelling used in the error answer.</returns>
    internal static string FactorsToString(ReverificationFactors factors) => ReverificationProtocol.FormatFactors(factors);

    internal static void ValidateName(string name, string paramName)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid reverification level name: use 1 to 64 characters of ASCII letters, digits, '_', '-' and '.'.",
                paramName);
        }
    }

    internal static void ValidateFactors(ReverificationFactors factors, string paramName)
    {
        if (!ReverificationProtocol.IsDefined(factors))
        {
            throw new ArgumentOutOfRangeException(paramName, factors, "Factors must be FirstFactor, SecondFactor or MultiFactor.");
        }
    }

    internal static void ValidateMaxAge(double maxAgeMinutes, string paramName)
    {
        if (!double.IsFinite(maxAgeMinutes) || maxAgeMinutes <= 0 || maxAgeMinutes > MaxAllowedMaxAge.TotalMinutes)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                maxAgeMinutes,
                string.Create(CultureInfo.InvariantCulture, $"A reverification max age must be a finite number of minutes greater than 0 and at most {ReverificationProtocol.MaxAllowedMaxAgeMinutes} (366 days); fractions such as 2.5 are allowed."));
        }
    }
}
