using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Reads and decides; shared by the authorization handler and the imperative check so that both follow one path.
/// </summary>
internal sealed class ReverificationService : IReverificationService
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FrozenDictionary<string, ReverificationLevel> _levels;
    private readonly ReverificationMetrics? _metrics;

    public ReverificationService(IOptions<ReverificationOptions> options, TimeProvider timeProvider, ILogger<ReverificationService> logger, ReverificationMetrics? metrics = null)
    {
        var value = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        Options = value;
        ClockSkew = value.ClockSkew;
        Reader = value.ClaimsReader ?? CreateReader(value);
        FormatName = value.ClaimsReader is null ? value.ClaimsFormat.ToString() : "Custom";
        _levels = value.Levels.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ReverificationOptions Options { get; }

    public IVerificationClaimsReader Reader { get; }

    public TimeSpan ClockSkew { get; }

    public string FormatName { get; }

    public static IVerificationClaimsReader CreateReader(ReverificationOptions options) => options.ClaimsFormat switch
    {
        VerificationClaimsFormat.Timestamps => new TimestampClaimsReader(options.FirstFactorClaimType, options.SecondFactorClaimType),
        VerificationClaimsFormat.ClerkFva => new ClerkFvaClaimsReader(options.ClerkFvaClaimType),
        VerificationClaimsFormat.OpenIdConnect => new OpenIdConnectClaimsReader(options.OpenIdConnectSecondFactorMethods),
        VerificationClaimsFormat.SupabaseAmr => new SupabaseAmrClaimsReader(options.SupabaseFirstFactorMethods, options.SupabaseSecondFactorMethods),
        _ => throw new InvalidOperationException($"Unknown {nameof(VerificationClaimsFormat)} '{options.ClaimsFormat}'."),
    };

    public bool TryResolve(ReverificationRequirement requirement, out ReverificationLevel level)
    {
        if (requirement.Level is { } known)
        {
            level = known;
            return true;
        }

        return _levels.TryGetValue(requirement.LevelName!, out level!);
    }

    public ReverificationLevel GetLevel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ReverificationLevel.TryGetPreset(name, out var preset))
        {
            return preset;
        }

        if (_levels.TryGetValue(name, out var level))
        {
            return level;
        }

        throw new ArgumentException(UnknownLevelMessage(name, _levels.Keys), nameof(name));
    }

    public ReverificationOutcome Check(ClaimsPrincipal user, string level) => Check(user, GetLevel(level));

    public ReverificationOutcome Check(ClaimsPrincipal user, ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(level);
        if (!IsAuthenticated(user))
        {
            return ReverificationOutcome.Unauthenticated;
        }

        // One clock reading per check: the data is checked against the same instant it is judged at.
        var now = _timeProvider.GetUtcNow();
        var times = ReadTimes(user, now);
        return EvaluateRead(times, now, level);
    }

    /// <summary>
    /// The outcome of a check that is neither counted in the metrics nor logged: for the answer of
    /// <see cref="ReverificationResults.Required(string)"/>, whose decision the app's own check
    /// (<c>HasReverified</c>) already counted and logged.
    /// </summary>
    public ReverificationOutcome Classify(ClaimsPrincipal user, ReverificationLevel level)
    {
        if (!IsAuthenticated(user))
        {
            return ReverificationOutcome.Unauthenticated;
        }

        var now = _timeProvider.GetUtcNow();
        return ReverificationEvaluator.EvaluateWellFormed(ReadTimes(user, now, log: false), now, level);
    }

    /// <summary>The current time, read once per check.</summary>
    public DateTimeOffset GetUtcNow() => _timeProvider.GetUtcNow();

    /// <summary>Reads the principal's verification times; a reader that throws counts as malformed (fail closed).</summary>
    public VerificationTimes ReadTimes(ClaimsPrincipal user) => ReadTimes(user, _timeProvider.GetUtcNow());

    /// <summary>
    /// Reads the principal's verification times and checks them against <paramref name="now"/>; a reader that throws
    /// counts as malformed (fail closed).
    /// </summary>
    public VerificationTimes ReadTimes(ClaimsPrincipal user, DateTimeOffset now) => ReadTimes(user, now, log: true);

    private VerificationTimes ReadTimes(ClaimsPrincipal user, DateTimeOffset now, bool log)
    {
        VerificationTimes times;
        try
        {
            times = Reader.Read(user);
        }
#pragma warning disable CA1031 // A claims reader must never turn bad input into a crash or a pass.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (log)
            {
                ReverificationLog.ClaimsReaderFailed(_logger, FormatName, ex.GetType().Name);
            }

            return VerificationTimes.Malformed;
        }

        if (!ReverificationEvaluator.IsWellFormed(times, now, ClockSkew))
        {
            if (log)
            {
                ReverificationLog.MalformedClaims(_logger, FormatName);
            }

            return VerificationTimes.Malformed;
        }

        return times;
    }

    /// <summary>
    /// Decides on times that <see cref="ReadTimes(ClaimsPrincipal, DateTimeOffset)"/> returned for the same
    /// <paramref name="now"/> (they are already checked against the clock, or marked malformed), and counts the
    /// decision in <see cref="ReverificationMetrics"/>.
    /// </summary>
    public ReverificationOutcome EvaluateRead(in VerificationTimes times, DateTimeOffset now, ReverificationLevel level)
    {
        var outcome = ReverificationEvaluator.EvaluateWellFormed(times, now, level);
        _metrics?.Checked(level, outcome);
        return outcome;
    }

    public static bool IsAuthenticated(ClaimsPrincipal user)
    {
        if (user.Identities is List<ClaimsIdentity> identities)
        {
            for (var i = 0; i < identities.Count; i++)
            {
                if (identities[i].IsAuthenticated)
                {
                    return true;
                }
            }

            return false;
        }

        return user.Identities.Any(static i => i.IsAuthenticated);
    }

    public static string UnknownLevelMessage(string name, IEnumerable<string> appLevels)
    {
        var levels = ReverificationLevel.Presets.Select(static p => p.Name!).Concat(appLevels).ToList();
        var known = string.Join(", ", levels);

        // A near miss ("Strict_MFA", "strickt") is a typo of a known level, not a level to register.
        if (LevelNameSuggestion.Find(name, levels) is { } suggestion)
        {
            return $"No reverification level is named '{name}'; did you mean '{suggestion}'? Level names are case-sensitive. The levels are {known}.";
        }

        return $"No reverification level is named '{name}'. Use one of {known}, or register it with "
            + $"AddReverification(o => o.AddLevel(\"{name}\", ReverificationFactors.SecondFactor, 10)). Level names are case-sensitive.";
    }
}
