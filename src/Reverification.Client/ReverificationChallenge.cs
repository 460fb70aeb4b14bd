using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Headers;
using Reverification.Client.Internal;

namespace Reverification.Client;

/// <summary>
/// What a server asked for when it answered "reverification required": which factors the user must verify again, and
/// how recent the verification must be.
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
/// </remarks>
public sealed class ReverificationChallenge : IEquatable<ReverificationChallenge>
{
    /// <summary>The name of the <see cref="StrictMfa"/> preset: <c>strict_mfa</c>.</summary>
    public const string StrictMfaName = "strict_mfa";

    /// <summary>The name of the <see cref="Strict"/> preset: <c>strict</c>.</summary>
    public const string StrictName = "strict";

    /// <summary>The name of the <see cref="Moderate"/> preset: <c>moderate</c>.</summary>
    public const string ModerateName = "moderate";

    /// <summary>The name of the <see cref="Lax"/> preset: <c>lax</c>.</summary>
    public const string LaxName = "lax";

    /// <summary>Both factors within the last 10 minutes (<c>strict_mfa</c>).</summary>
    public static ReverificationChallenge StrictMfa { get; } = new(StrictMfaName, ReverificationFactors.MultiFactor, 10);

    /// <summary>The second factor within the last 10 minutes (<c>strict</c>).</summary>
    public static ReverificationChallenge Strict { get; } = new(StrictName, ReverificationFactors.SecondFactor, 10);

    /// <summary>The second factor within the last 60 minutes (<c>moderate</c>).</summary>
    public static ReverificationChallenge Moderate { get; } = new(ModerateName, ReverificationFactors.SecondFactor, 60);

    /// <summary>The second factor within the last 1440 minutes, 24 hours (<c>lax</c>).</summary>
    public static ReverificationChallenge Lax { get; } = new(LaxName, ReverificationFactors.SecondFactor, 1440);

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
    /// <param name="afterMinutes">How recent the verification must be, in minutes; finite and greater than zero.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined <paramref name="factors"/> value, or a maximum age that is not finite and &gt; 0.</exception>
    public ReverificationChallenge(ReverificationFactors factors, double afterMinutes)
        : this(levelName: null, factors, afterMinutes)
    {
    }

    private ReverificationChallenge(string? levelName, ReverificationFactors factors, double afterMinutes)
    {
        if (factors is not (ReverificationFactors.FirstFactor or ReverificationFactors.SecondFactor or ReverificationFactors.MultiFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor.");
        }

        if (!double.IsFinite(afterMinutes) || afterMinutes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterMinutes), afterMinutes, "The maximum age must be a finite number of minutes greater than zero.");
        }

        LevelName = levelName;
        Factors = factors;
        AfterMinutes = afterMinutes;
    }

    /// <summary>The preset's name (<c>strict</c>, ...), or <see langword="null"/> for any other level.</summary>
    public string? LevelName { get; }

    /// <summary>The factors to verify.</summary>
    public ReverificationFactors Factors { get; }

    /// <summary>How recent the verification must be, in minutes (may be fractional, always &gt; 0).</summary>
    public double AfterMinutes { get; }

    /// <summary>How recent the verification must be.</summary>
    public TimeSpan MaxAge => TimeSpan.FromMinutes(AfterMinutes);

    /// <summary>
    /// Finds a preset by its name (ordinal, case-sensitive, as the contract says).
    /// </summary>
    /// <param name="name">The name: <c>strict_mfa</c>, <c>strict</c>, <c>moderate</c> or <c>lax</c>.</param>
    /// <param name="challenge">The preset, when found.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a preset's name.</returns>
    public static bool TryGetPreset(string? name, [NotNullWhen(true)] out ReverificationChallenge? challenge)
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
        challenge = ChallengeParser.TryParseBody(utf8Json, out var level) ? level ?? Default : null;
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

    /// <summary>The factors' wire name: <c>first_factor</c>, <c>second_factor</c> or <c>multi_factor</c>.</summary>
    /// <param name="factors">The factors.</param>
    /// <returns>The name.</returns>
    public static string FactorsToString(ReverificationFactors factors) => factors switch
    {
        ReverificationFactors.FirstFactor => "first_factor",
        ReverificationFactors.SecondFactor => "second_factor",
        ReverificationFactors.MultiFactor => "multi_factor",
        _ => throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor."),
    };

    /// <inheritdoc/>
    public bool Equals(ReverificationChallenge? other)
        => other is not null
            && string.Equals(LevelName, other.LevelName, StringComparison.Ordinal)
            && Factors == other.Factors
            && AfterMinutes.Equals(other.AfterMinutes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ReverificationChallenge);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LevelName is null ? 0 : StringComparer.Ordinal.GetHashCode(LevelName), Factors, AfterMinutes);

    /// <summary>The preset's name, or for example <c>second_factor within 5 minutes</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString()
        => LevelName ?? string.Create(CultureInfo.InvariantCulture, $"{FactorsToString(Factors)} within {AfterMinutes} minutes");
}
