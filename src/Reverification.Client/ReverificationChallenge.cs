using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Headers;
using Reverification.Client.Internal;
using Reverification.Shared;

namespace Reverification.Client;

/// <summary>
/// What a server asked for when it answered "reverification required": which factors the user must verify again, and
/// within how many minutes (the max age).
/// </summary>
/// <remarks>
/// <para>
/// Read from the contract's body,
/// <c>{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":...}}}</c>,
/// where the metadata is a preset's name (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>) or
/// <c>{"level":"second_factor","afterMinutes":5}</c>; or from the RFC 9470 challenge
/// <c>WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=600</c>, which names no factors
/// (read as <see cref="ReverificationFactors.SecondFactor"/>).
/// </para>
/// <para>
/// The body is recognised as Clerk's client recognises it, by <c>clerk_error.type</c> and <c>clerk_error.reason</c>
/// alone. When its <c>metadata.reverification</c> is missing (Clerk's <c>reverificationErrorResponse()</c> without a
/// level sends <c>"metadata":{}</c>) or not understood (an unknown preset name, a malformed object), the challenge is
/// the RFC 9470 header's <c>max_age</c> when the response has one, otherwise <see cref="Default"/>.
/// </para>
/// <para>
/// <b>Max age.</b> The longest max age is 527040 minutes (366 days), the longest the server library allows. A longer
/// max age in an answer (<c>"afterMinutes":1e300</c>, <c>max_age=9223372036854775807</c>) is read as 527040 minutes:
/// the factors it names still count, and <see cref="MaxAge"/> never overflows. A number that is not a finite
/// double (<c>1e400</c>) is not understood, as any other malformed level.
/// </para>
/// </remarks>
public sealed class ReverificationChallenge : IEquatable<ReverificationChallenge>
{
    /// <summary>The name of the <see cref="StrictMfa"/> preset: <c>strict_mfa</c>.</summary>
    public const string StrictMfaName = ReverificationProtocol.StrictMfaName;

    /// <summary>The name of the <see cref="Strict"/> preset: <c>strict</c>.</summary>
    public const string StrictName = ReverificationProtocol.StrictName;

    /// <summary>The name of the <see cref="Moderate"/> preset: <c>moderate</c>.</summary>
    public const string ModerateName = ReverificationProtocol.ModerateName;

    /// <summary>The name of the <see cref="Lax"/> preset: <c>lax</c>.</summary>
    public const string LaxName = ReverificationProtocol.LaxName;

    /// <summary>Both factors within the last 10 minutes (<c>strict_mfa</c>).</summary>
    public static ReverificationChallenge StrictMfa { get; } = FromPreset(ReverificationProtocol.StrictMfa);

    /// <summary>The second factor within the last 10 minutes (<c>strict</c>).</summary>
    public static ReverificationChallenge Strict { get; } = FromPreset(ReverificationProtocol.Strict);

    /// <summary>The second factor within the last 60 minutes (<c>moderate</c>).</summary>
    public static ReverificationChallenge Moderate { get; } = FromPreset(ReverificationProtocol.Moderate);

    /// <summary>The second factor within the last 1440 minutes, 24 hours (<c>lax</c>).</summary>
    public static ReverificationChallenge Lax { get; } = FromPreset(ReverificationProtocol.Lax);

    /// <summary>
    /// What an answer asks for when it names no level this client understands: the second factor within the last 10
    /// minutes (what <c>strict</c> asks, unnamed: <see cref="LevelName"/> is <see langword="null"/>).
    /// </summary>
    /// <remarks>
    /// Used when the contract's body has no <c>metadata.reverification</c>, or one that is not a preset's name or a
    /// well-formed <c>{"level": ..., "afterMinutes": ...}</c> object, and no RFC 9470 <c>max_age</c> says otherwise.
    /// Clerk's own UI also asks for the second factor when the answer names no level. If the server wanted more (both
    /// factors, or a shorter time), the retry gets the answer again and the handler returns it to the caller.
    /// </remarks>
    public static ReverificationChallenge Default { get; } = new(ReverificationFactors.SecondFactor, 10);

    /// <summary>The four presets, most demanding first.</summary>
    public static IReadOnlyList<ReverificationChallenge> Presets { get; } = [StrictMfa, Strict, Moderate, Lax];

    /// <summary>
    /// Creates an unnamed challenge, as the server sends for any level that is not a preset.
    /// </summary>
    /// <param name="factors">The factors to verify.</param>
    /// <param name="maxAgeMinutes">
    /// The max age: the verification must be within this many minutes. Greater than zero and at most 527040 (366 days);
    /// fractions allowed.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An undefined <paramref name="factors"/> value, or a max age that is not greater than zero and at most 527040 minutes.
    /// </exception>
    public ReverificationChallenge(ReverificationFactors factors, double maxAgeMinutes)
        : this(levelName: null, factors, maxAgeMinutes)
    {
    }

    private ReverificationChallenge(string? levelName, ReverificationFactors factors, double maxAgeMinutes, ReverificationChallengeApproval? approval = null)
    {
        Approval = approval;
        if (!ReverificationProtocol.IsDefined(factors))
        {
            throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor.");
        }

        // Not greater than zero, or longer than the server allows (NaN fails both comparisons).
        if (!(maxAgeMinutes > 0 && maxAgeMinutes <= ReverificationProtocol.MaxAllowedMaxAgeMinutes))
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxAgeMinutes),
                maxAgeMinutes,
                "The max age must be a number of minutes greater than 0 and at most 527040 (366 days); fractions such as 2.5 are allowed.");
        }

        LevelName = levelName;
        Factors = factors;
        MaxAgeMinutes = maxAgeMinutes;
        MaxAge = TimeSpan.FromMinutes(maxAgeMinutes);
    }

    /// <summary>
    /// The one-time approval the answer asks for (an endpoint that requires one), or <see langword="null"/>. A prompt
    /// must pass its <see cref="ReverificationChallengeApproval.Id"/> to the verification and may show its
    /// <see cref="ReverificationChallengeApproval.Summary"/>; the handler's retry carries the id.
    /// </summary>
    public ReverificationChallengeApproval? Approval { get; }

    /// <summary>This challenge's level with <paramref name="approval"/>.</summary>
    internal ReverificationChallenge WithApproval(ReverificationChallengeApproval approval) => new(LevelName, Factors, MaxAgeMinutes, approval);

    /// <summary>The preset's name (<c>strict</c>, ...), or <see langword="null"/> for any other level.</summary>
    public string? LevelName { get; }

    /// <summary>The factors to verify.</summary>
    public ReverificationFactors Factors { get; }

    /// <summary>
    /// The max age in minutes: the verification must be within this many minutes (may be fractional; greater than 0,
    /// at most 527040).
    /// </summary>
    public double MaxAgeMinutes { get; }

    /// <summary>The max age: the verification must be within this time (at most 366 days).</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Finds a preset by its name (ordinal, case-sensitive, as the contract says).</summary>
    internal static bool TryGetPreset(string? name, [NotNullWhen(true)] out ReverificationChallenge? challenge)
    {
        challenge = name switch
        {
            StrictMfaName => StrictMfa,
            StrictName => Strict,
            ModerateName => Moderate,
            LaxName => Lax,
            _ => null,
        };
        return challenge is not null;
    }

    /// <summary>
    /// Reads the contract's body (UTF-8 JSON).
    /// </summary>
    /// <param name="utf8Json">The response body.</param>
    /// <param name="challenge">
    /// When the body is the contract's answer: the level <c>metadata.reverification</c> names (a preset's name or a
    /// <c>{"level": ..., "afterMinutes": ...}</c> object), or <see cref="Default"/> when it is missing or not understood.
    /// </param>
    /// <returns>
    /// <see langword="true"/> when the body is a JSON object whose <c>clerk_error.type</c> is <c>forbidden</c> and
    /// <c>clerk_error.reason</c> is <c>reverification-error</c> (ordinal comparisons, as Clerk's
    /// <c>isReverificationHint</c>), whatever its metadata; <see langword="false"/> for anything else, malformed JSON
    /// included (never throws).
    /// </returns>
    /// <remarks>
    /// The body alone cannot fall back to the RFC 9470 header; <see cref="FromResponseAsync"/> does, before
    /// <see cref="Default"/>.
    /// </remarks>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ReverificationChallenge? challenge)
    {
        challenge = ChallengeParser.TryParseBody(utf8Json, out var level, out var approval) ? level ?? Default : null;
        if (challenge is not null && approval is not null)
        {
            challenge = challenge.WithApproval(approval);
        }

        return challenge is not null;
    }

    /// <summary>
    /// Reads the contract's body (a JSON string).
    /// </summary>
    /// <param name="json">The response body.</param>
    /// <param name="challenge">The challenge, when recognised.</param>
    /// <returns>See <see cref="TryParse(ReadOnlySpan{byte}, out ReverificationChallenge?)"/>.</returns>
    public static bool TryParse(string? json, [NotNullWhen(true)] out ReverificationChallenge? challenge)
    {
        if (json is null)
        {
            challenge = null;
            return false;
        }

        return TryParse(System.Text.Encoding.UTF8.GetBytes(json), out challenge);
    }

    /// <summary>
    /// Reads an RFC 9470 challenge: <c>error="insufficient_user_authentication"</c> with <c>max_age</c> (seconds).
    /// </summary>
    /// <param name="header">One <c>WWW-Authenticate</c> value (any scheme: <c>Bearer</c>, <c>DPoP</c>, ...).</param>
    /// <param name="challenge">
    /// A challenge for <see cref="ReverificationFactors.SecondFactor"/> within <c>max_age</c> seconds (the header names
    /// no factors), when recognised.
    /// </param>
    /// <returns><see langword="true"/> when the header holds that error and a positive <c>max_age</c>.</returns>
    public static bool TryParseAuthenticateHeader(AuthenticationHeaderValue? header, [NotNullWhen(true)] out ReverificationChallenge? challenge)
    {
        challenge = header is null ? null : ChallengeParser.ParseAuthenticateParameters(header.Parameter);
        return challenge is not null;
    }

    /// <summary>
    /// Reads the challenge of a response: the contract's body first, then the RFC 9470 header. Only 401 and 403
    /// answers are looked at, and only a body of at most 64 KiB is read, whatever its <c>Content-Type</c> (Clerk's
    /// server helper sends its JSON as <c>text/plain</c>); it is buffered, so it can still be read afterwards.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A body recognised as the contract's answer (see <see cref="TryParse(ReadOnlySpan{byte}, out ReverificationChallenge?)"/>)
    /// whose level is missing or not understood takes the header's <c>max_age</c> when there is one, otherwise
    /// <see cref="Default"/>.
    /// </para>
    /// <para>
    /// A body whose <c>Content-Length</c> is over 64 KiB is not read. A body of unknown length (chunked) is read no
    /// further than one byte past 64 KiB, and <see cref="HttpResponseMessage.Content"/> is replaced by an equivalent
    /// content with the same headers that gives the whole body: what was read, then the rest of the stream. If reading
    /// fails (a network error, <paramref name="cancellationToken"/>), the exception propagates and the body is left
    /// partly read.
    /// </para>
    /// </remarks>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The challenge, or <see langword="null"/> when the response does not ask for reverification.</returns>
    public static Task<ReverificationChallenge?> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ChallengeParser.FromResponseAsync(response, recognizeHeader: true, cancellationToken);
    }

    /// <inheritdoc/>
    public bool Equals(ReverificationChallenge? other)
        => other is not null
            && string.Equals(LevelName, other.LevelName, StringComparison.Ordinal)
            && Factors == other.Factors
            && MaxAgeMinutes.Equals(other.MaxAgeMinutes)
            && Equals(Approval, other.Approval);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ReverificationChallenge);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LevelName is null ? 0 : StringComparer.Ordinal.GetHashCode(LevelName), Factors, MaxAgeMinutes, Approval);

    /// <summary>The preset's name, or for example <c>second_factor within 5 minutes</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString()
        => LevelName ?? string.Create(CultureInfo.InvariantCulture, $"{ReverificationProtocol.FormatFactors(Factors)} within {MaxAgeMinutes} minutes");

    private static ReverificationChallenge FromPreset(ReverificationProtocol.Preset preset)
        => new(preset.Name, preset.Factors, preset.MaxAgeMinutes);
}
