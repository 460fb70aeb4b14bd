using System.Globalization;
using System.Net;
using System.Text.Json;
using Reverification.Shared;
using Body = Reverification.Shared.ReverificationProtocol.Body;
using Approval = Reverification.Shared.ReverificationProtocol.Approval;
using Challenge = Reverification.Shared.ReverificationProtocol.Challenge;

namespace Reverification.Client.Internal;

/// <summary>
/// Recognises the contract's answer: the body (as Clerk's client does) and the RFC 9470 challenge header.
/// </summary>
internal static class ChallengeParser
{
    /// <summary>The largest body inspected; the contract's body is about 100 bytes.</summary>
    public const long MaxInspectedBodyBytes = 64 * 1024;

    /// <summary>Whether <paramref name="response"/> may ask for reverification: only 401 and 403 answers are looked at.</summary>
    public static bool MayAskForReverification(HttpResponseMessage response)
        => response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;

    public static async Task<ReverificationChallenge?> FromResponseAsync(HttpResponseMessage response, bool recognizeHeader, CancellationToken cancellationToken)
    {
        if (!MayAskForReverification(response))
        {
            return null;
        }

        var fromHeader = recognizeHeader ? FromHeaders(response) : null;

        // Whatever the Content-Type: Clerk's reverificationErrorResponse() sends its JSON as text/plain.
        if (await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false) is { } body
            && TryParseBody(body, out var level, out var approval))
        {
            // The answer names no level this client understands: the header's max_age, else the default.
            var challenge = level ?? fromHeader ?? ReverificationChallenge.Default;
            return approval is not null ? challenge.WithApproval(approval) : challenge;
        }

        return fromHeader;
    }

    /// <summary>
    /// Reads a body of at most <see cref="MaxInspectedBodyBytes"/>, leaving it readable by the caller; returns
    /// <see langword="null"/> for a larger body, without reading more than one byte past the limit.
    /// </summary>
    /// <remarks>
    /// A body of known length is buffered in place. A body of unknown length (chunked) is read from its stream, so the
    /// response gets an equivalent content in its place: the bytes read, then (for a larger body) the rest of the
    /// stream. It keeps the original content headers. If reading fails, the exception propagates and the body is left
    /// partly read.
    /// </remarks>
    private static async Task<byte[]?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        var length = content.Headers.ContentLength;
        if (length > MaxInspectedBodyBytes)
        {
            return null;
        }

        if (length is not null)
        {
            try
            {
                await content.LoadIntoBufferAsync(MaxInspectedBodyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
            {
                // Only a Content-Length header that understates the body gets here (HTTP framing never lets a body
                // outgrow its Content-Length): not the answer.
                return null;
            }

            return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxInspectedBodyBytes + 1];
        var read = 0;
        while (read < buffer.Length
            && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false) is var count and > 0)
        {
            read += count;
        }

        if (read <= MaxInspectedBodyBytes)
        {
            var body = buffer[..read];
            response.Content = WithHeadersOf(content, new ByteArrayContent(body));
            content.Dispose();
            return body;
        }

        response.Content = WithHeadersOf(content, new StreamContent(new PrefixedReadStream(buffer, stream, content)));
        return null;
    }

    private static HttpContent WithHeadersOf(HttpContent original, HttpContent replacement)
    {
        foreach (var header in original.Headers.NonValidated)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return replacement;
    }

    private static ReverificationChallenge? FromHeaders(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            if (ParseAuthenticateParameters(header.Parameter) is { } challenge)
            {
                return challenge;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="utf8Json"/> is the contract's answer, matched as Clerk's <c>isReverificationHint</c>
    /// does: a JSON object whose <c>clerk_error.type</c> is <c>forbidden</c> and <c>clerk_error.reason</c> is
    /// <c>reverification-error</c>. Never throws.
    /// </summary>
    /// <param name="utf8Json">The body.</param>
    /// <param name="level">
    /// The level <c>metadata.reverification</c> names (a preset's name or a <c>{"level", "afterMinutes"}</c> object), or
    /// <see langword="null"/> when it is missing or not understood.
    /// </param>
    public static bool TryParseBody(ReadOnlySpan<byte> utf8Json, out ReverificationChallenge? level)
        => TryParseBody(utf8Json, out level, out _);

    /// <summary>As above, and the one-time approval of <c>metadata.approval</c>, when well formed.</summary>
    public static bool TryParseBody(ReadOnlySpan<byte> utf8Json, out ReverificationChallenge? level, out ReverificationChallengeApproval? approval)
    {
        level = null;
        approval = null;
        if (utf8Json.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return false; // More than one JSON value.
            }

            return TryParseBody(document.RootElement, out level, out approval);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryParseBody(JsonElement root, out ReverificationChallenge? level, out ReverificationChallengeApproval? approval)
    {
        level = null;
        approval = null;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(Body.ClerkError, out var error)
            || error.ValueKind != JsonValueKind.Object
            || !IsString(error, Body.Type, Body.Forbidden)
            || !IsString(error, Body.Reason, Body.ReverificationError))
        {
            return false;
        }

        if (error.TryGetProperty(Body.Metadata, out var metadata)
            && metadata.ValueKind == JsonValueKind.Object)
        {
            if (metadata.TryGetProperty(Body.Reverification, out var value))
            {
                level = ParseLevel(value);
            }

            if (metadata.TryGetProperty(Approval.Field, out var approvalElement))
            {
                approval = ParseApproval(approvalElement);
            }
        }

        return true;
    }

    /// <summary>
    /// <c>{"id":"...","summary":"...","expiresIn":300}</c>, read defensively: a hostile or broken server's values are
    /// refused (the id) or bounded (summary, lifetime), never trusted as they are.
    /// </summary>
    private static ReverificationChallengeApproval? ParseApproval(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty(Approval.Id, out var idElement)
            || idElement.ValueKind != JsonValueKind.String
            || idElement.GetString() is not { Length: > 0 and <= Approval.MaxIdLength } id
            || !IsUrlSafe(id))
        {
            return null;
        }

        string? summary = null;
        if (element.TryGetProperty(Approval.Summary, out var summaryElement) && summaryElement.ValueKind == JsonValueKind.String)
        {
            summary = Clean(summaryElement.GetString()!);
        }

        TimeSpan? expiresIn = null;
        if (element.TryGetProperty(Approval.ExpiresIn, out var expiresElement)
            && expiresElement.ValueKind == JsonValueKind.Number
            && expiresElement.TryGetDouble(out var seconds)
            && double.IsFinite(seconds)
            && seconds > 0)
        {
            expiresIn = TimeSpan.FromSeconds(Math.Min(seconds, Approval.MaxExpiresInSeconds));
        }

        return new ReverificationChallengeApproval(id, summary, expiresIn);
    }

    private static bool IsUrlSafe(string id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>At most the protocol's length, control characters (line breaks, bidi overrides' neighbours) as spaces.</summary>
    private static string? Clean(string summary)
    {
        var text = summary.Length > Approval.MaxSummaryLength ? summary[..Approval.MaxSummaryLength] : summary;
        if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            text = text[..^1];
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || chars[i] is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                chars[i] = ' ';
            }
        }

        var cleaned = new string(chars).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static ReverificationChallenge? ParseLevel(JsonElement level)
    {
        switch (level.ValueKind)
        {
            case JsonValueKind.String:
                return ReverificationChallenge.TryGetPreset(level.GetString(), out var preset) ? preset : null;
            case JsonValueKind.Object:
                if (level.TryGetProperty(Body.Level, out var factorsElement)
                    && factorsElement.ValueKind == JsonValueKind.String
                    && ReverificationProtocol.TryParseFactors(factorsElement.GetString(), out var factors)
                    && level.TryGetProperty(Body.AfterMinutes, out var minutesElement)
                    && minutesElement.ValueKind == JsonValueKind.Number
                    && minutesElement.TryGetDouble(out var minutes)
                    && double.IsFinite(minutes) // A number beyond double's range (1e400) reads as infinity: malformed.
                    && minutes > 0)
                {
                    return new ReverificationChallenge(factors, Bound(minutes));
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsString(JsonElement element, string name, string expected)
        => element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
            && value.ValueEquals(expected);

    /// <summary>
    /// A max age the answer states, within what a challenge can hold: one longer than the server ever sends (a hostile
    /// or broken server) counts as the longest allowed, so that the factors still count and no property overflows.
    /// </summary>
    private static double Bound(double maxAgeMinutes) => Math.Min(maxAgeMinutes, ReverificationProtocol.MaxAllowedMaxAgeMinutes);

    /// <summary>
    /// Reads the auth-params of one challenge (RFC 9110 section 11.2): <c>name=token</c> or <c>name="quoted"</c>,
    /// separated by commas. Recognised: <c>error="insufficient_user_authentication"</c> with a positive integer
    /// <c>max_age</c> (seconds, any number of digits; longer than allowed counts as the longest allowed).
    /// </summary>
    public static ReverificationChallenge? ParseAuthenticateParameters(string? parameters)
    {
        if (string.IsNullOrEmpty(parameters))
        {
            return null;
        }

        string? error = null;
        string? maxAge = null;
        var position = 0;
        while (position < parameters.Length)
        {
            SkipSeparators(parameters, ref position);
            var nameStart = position;
            while (position < parameters.Length && parameters[position] is not ('=' or ',' or ' ' or '\t'))
            {
                position++;
            }

            var name = parameters[nameStart..position];
            SkipWhitespace(parameters, ref position);
            if (position >= parameters.Length || parameters[position] != '=')
            {
                // A token68 or a malformed parameter: skip to the next comma.
                while (position < parameters.Length && parameters[position] != ',')
                {
                    position++;
                }

                continue;
            }

            position++;
            SkipWhitespace(parameters, ref position);
            if (!TryReadValue(parameters, ref position, out var value))
            {
                return null;
            }

            if (string.Equals(name, Challenge.Error, StringComparison.OrdinalIgnoreCase))
            {
                error = value;
            }
            else if (string.Equals(name, Challenge.MaxAge, StringComparison.OrdinalIgnoreCase))
            {
                maxAge = value;
            }
        }

        // NumberStyles.None: digits only (no sign, point or exponent), of any length; past double's range it reads as
        // infinity, which is not a max age.
        if (!string.Equals(error, Challenge.InsufficientUserAuthentication, StringComparison.Ordinal)
            || !double.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds)
            || seconds <= 0)
        {
            return null;
        }

        return new ReverificationChallenge(ReverificationFactors.SecondFactor, Bound(seconds / 60));
    }

    private static bool TryReadValue(string text, ref int position, out string value)
    {
        if (position < text.Length && text[position] == '"')
        {
            position++;
            var builder = new System.Text.StringBuilder();
            while (position < text.Length)
            {
                var c = text[position++];
                if (c == '"')
                {
                    value = builder.ToString();
                    return true;
                }

                if (c == '\\' && position < text.Length)
                {
                    c = text[position++];
                }

                builder.Append(c);
            }

            value = string.Empty;
            return false; // Unterminated quoted string.
        }

        var start = position;
        while (position < text.Length && text[position] is not (',' or ' ' or '\t'))
        {
            position++;
        }

        value = text[start..position];
        return true;
    }

    private static void SkipWhitespace(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }
    }

    private static void SkipSeparators(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or ',')
        {
            position++;
        }
    }
}
