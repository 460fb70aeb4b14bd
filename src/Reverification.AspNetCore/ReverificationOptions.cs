using Microsoft.AspNetCore.Http;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Options for reverification: where verification times are read from (a claim format, chosen with the
/// <see cref="ReverificationOptionsExtensions"/>), the app's own levels, and the error answer.
/// </summary>
/// <remarks>
/// Options are validated when the application starts; an invalid value stops it with a message that says what to
/// change.
/// </remarks>
public sealed class ReverificationOptions
{
    private readonly Dictionary<string, ReverificationLevel> _levels = new(StringComparer.Ordinal);

    /// <summary>
    /// The claim format, chosen with <c>UseTimestamps</c> (the default), <c>UseClerkFva</c>, <c>UseOpenIdConnect</c>,
    /// <c>UseSupabaseAmr</c> or <c>UseClaimsReader</c>.
    /// </summary>
    internal ClaimsFormat ClaimsFormat { get; set; } = ReverificationOptionsExtensions.Timestamps(new TimestampClaimsOptions());

    /// <summary>
    /// How far in the future a verification time (or a token's <c>iat</c>) may lie before the data counts as
    /// malformed; times within it count as "just now". It never lengthens a level's window. Default: 1 minute; at
    /// most 10 minutes.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The status code of the error answer. Default: 403, as the contract says. Some APIs prefer 401.
    /// </summary>
    public int RejectionStatusCode { get; set; } = StatusCodes.Status403Forbidden;

    /// <summary>
    /// Whether the error answer carries RFC 9470's challenge,
    /// <c>WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description="...", max_age=N</c>.
    /// Default: <see langword="true"/>.
    /// </summary>
    public bool IncludeChallengeHeader { get; set; } = true;

    /// <summary>
    /// The authentication scheme named in the RFC 9470 challenge. Default: <c>Bearer</c>.
    /// </summary>
    public string ChallengeScheme { get; set; } = "Bearer";

    /// <summary>
    /// The one hook that changes the error answer. When <see langword="null"/> (the default) the answer is the
    /// contract's JSON body. When set, the status code (<see cref="RejectionStatusCode"/>) and the challenge header are
    /// already set when it is called, and it writes the body (for example RFC 9457 problem details); it may change
    /// the status code and headers, and may call <see cref="ReverificationRejectedContext.WriteDefaultBodyAsync"/>.
    /// </summary>
    public Func<ReverificationRejectedContext, CancellationToken, ValueTask>? OnRejected { get; set; }

    /// <summary>
    /// The app's own reverify page. When set, browser page requests (a navigation asking for HTML, not an API call)
    /// that need reverification are redirected there with the return URL and the level in the query string, as
    /// Laravel's <c>password.confirm</c> and GitHub's sudo mode do; API calls keep the JSON answer. Default: empty (off).
    /// </summary>
    public PathString ReverifyPath { get; set; }

    /// <summary>The query-string parameter that carries the return URL to <see cref="ReverifyPath"/>. Default: <c>returnUrl</c>.</summary>
    public string ReturnUrlParameter { get; set; } = "returnUrl";

    /// <summary>
    /// How long a one-time approval (<see cref="RequireApprovalAttribute"/>) stays valid after it is issued, pending or
    /// approved: the user must approve it and the client retry within it. It is the approval's window instead of the
    /// level's max age. Default: 5 minutes; between 10 seconds and 1 hour.
    /// </summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The largest request body a one-time approval binds, in bytes: the body is read into memory to digest it, and a
    /// larger one is answered 413. Default: 64 KiB; between 1 byte and 16 MiB.
    /// </summary>
    public int ApprovalMaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The app's own named levels, by name.</summary>
    internal IReadOnlyDictionary<string, ReverificationLevel> Levels => _levels;

    /// <summary>
    /// Registers a named level of the app's own.
    /// </summary>
    /// <param name="name">
    /// The name: 1 to 64 ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>; not a preset's name; case-sensitive.
    /// </param>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than zero; fractions such as 2.5 are allowed.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is invalid, a preset's, or already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ReverificationOptions AddLevel(string name, ReverificationFactors factors, double maxAgeMinutes)
        => AddLevel(ReverificationLevel.Create(name, factors, maxAgeMinutes));

    /// <summary>
    /// Registers a named level of the app's own.
    /// </summary>
    /// <param name="level">A level created with <see cref="ReverificationLevel.Create(string, ReverificationFactors, double)"/>.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException">The level has no name, is a preset, or its name is already registered.</exception>
    internal ReverificationOptions AddLevel(ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        if (level.Name is null || level.IsPreset)
        {
            throw new ArgumentException("Only named levels of the app's own can be registered; presets are always available.", nameof(level));
        }

        if (!_levels.TryAdd(level.Name, level))
        {
            throw new ArgumentException($"The reverification level '{level.Name}' is already registered; register each name once.", nameof(level));
        }

        return this;
    }

    /// <summary>Finds a level by name: a preset or one of the app's own (ordinal, case-sensitive).</summary>
    internal bool TryGetLevel(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReverificationLevel? level)
    {
        if (ReverificationLevel.TryGetPreset(name, out level))
        {
            return true;
        }

        if (name is not null && _levels.TryGetValue(name, out level))
        {
            return true;
        }

        level = null;
        return false;
    }
}
