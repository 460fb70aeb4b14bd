using System.Collections.Frozen;
using System.Runtime.InteropServices;
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

    public ReverificationService(IOptions<ReverificationOptions> options, TimeProvider timeProvider, ILogger<ReverificationService> logger, ReverificationMetrics? metrics = null, IServiceProvider? services = null)
    {
        var value = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        Options = value;
        ClockSkew = value.ClockSkew;
        Format = value.ClaimsFormat;
        Reader = Format.CreateReader(services ?? EmptyServiceProvider.Instance);
        _levels = value.Levels.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ReverificationOptions Options { get; }

    public IVerificationClaimsReader Reader { get; }

    public TimeSpan ClockSkew { get; }

    public ClaimsFormat Format { get; }

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

    /// <summary>
    /// Reads the times of one subject: the first authenticated identity that carries verification data counts. Another
    /// authenticated identity that also carries data (a second scheme on the policy, say) must name the same subject,
    /// or the data is malformed: times of two users never combine.
    /// </summary>
    private VerificationTimes ReadTimes(ClaimsPrincipal user, DateTimeOffset now, bool log)
    {
        VerificationTimes times;
        if (user.Identities is List<ClaimsIdentity> { Count: 1 } single)
        {
            // The usual principal (one scheme, one identity): no subject to compare.
            var identity = single[0];
            times = identity.IsAuthenticated ? ReadIdentity(identity, log) : VerificationTimes.Missing;
        }
        else if (!TryReadOneSubject(user, log, out times))
        {
            return VerificationTimes.Malformed;
        }

        if (times.Status == VerificationClaimsStatus.Malformed)
        {
            if (log)
            {
                ReverificationLog.MalformedClaims(_logger, Format.Name, times.MalformedClaimType ?? "(not named by the reader)");
            }

            return times;
        }

        if (!ReverificationEvaluator.IsWellFormed(times, now, ClockSkew))
        {
            if (log)
            {
                ReverificationLog.FutureVerificationTime(_logger, Format.Name, FutureClaimType(times, now));
            }

            return VerificationTimes.Malformed;
        }

        return times;
    }

    private bool TryReadOneSubject(ClaimsPrincipal user, bool log, out VerificationTimes times)
    {
        ClaimsIdentity? source = null;
        times = VerificationTimes.Missing;
        if (user.Identities is List<ClaimsIdentity> identities)
        {
            foreach (var identity in CollectionsMarshal.AsSpan(identities))
            {
                if (!Consider(identity, ref source, ref times, log))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var identity in user.Identities)
        {
            if (!Consider(identity, ref source, ref times, log))
            {
                return false;
            }
        }

        return true;
    }

    private bool Consider(ClaimsIdentity identity, ref ClaimsIdentity? source, ref VerificationTimes times, bool log)
    {
        if (!identity.IsAuthenticated)
        {
            return true;
        }

        var read = ReadIdentity(identity, log);
        if (read.Status == VerificationClaimsStatus.Missing)
        {
            return true;
        }

        if (source is null)
        {
            source = identity;
            times = read;
            return true;
        }

        if (SubjectOf(source) is { } subject && string.Equals(subject, SubjectOf(identity), StringComparison.Ordinal))
        {
            return true; // The same subject: the first identity's times count.
        }

        if (log)
        {
            ReverificationLog.MixedSubjects(_logger, Format.Name);
        }

        return false;
    }

    private VerificationTimes ReadIdentity(ClaimsIdentity identity, bool log)
    {
        try
        {
            return Reader.Read(identity);
        }
#pragma warning disable CA1031 // A claims reader must never turn bad input into a crash or a pass.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (log)
            {
                ReverificationLog.ClaimsReaderFailed(_logger, Format.Name, ex.GetType().Name);
            }

            return VerificationTimes.Malformed;
        }
    }

    /// <summary>The identity's subject: <c>sub</c>, or <see cref="ClaimTypes.NameIdentifier"/> (JwtBearer's mapping of <c>sub</c>, Identity's cookie).</summary>
    internal static string? SubjectOf(ClaimsIdentity identity)
        => identity.FindFirst("sub")?.Value ?? identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    private string FutureClaimType(in VerificationTimes times, DateTimeOffset now)
    {
        var latest = now + ClockSkew;
        var claimType = times.IssuedAt > latest ? ClerkFvaClaimsReader.IssuedAt
            : times.FirstFactorVerifiedAt > latest ? Format.FirstFactorClaimType
            : Format.SecondFactorClaimType;
        return claimType ?? "(not named by the reader)";
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

    /// <summary>For a service built by hand (tests, benchmarks): the built-in formats need no services.</summary>
    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
