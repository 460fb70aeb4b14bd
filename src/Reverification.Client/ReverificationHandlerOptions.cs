namespace Reverification.Client;

/// <summary>
/// Options of <see cref="ReverificationHandler"/>.
/// </summary>
public sealed class ReverificationHandlerOptions
{
    /// <summary>The default of <see cref="MaxReplayableContentBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxReplayableContentBytes = 1024 * 1024;

    /// <summary>
    /// The largest request body the handler sends again after a reverification (buffering it first, unless it is held
    /// in memory).
    /// Default: <see cref="DefaultMaxReplayableContentBytes"/> (1 MiB); at most <see cref="int.MaxValue"/> (the largest
    /// buffer <see cref="HttpContent"/> has), checked when the handler is created.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The body is read before the first send only when that cannot break the send: its length is known and within
    /// this limit (a <see cref="ByteArrayContent"/>, <see cref="StringContent"/>, <see cref="FormUrlEncodedContent"/>,
    /// <see cref="ReadOnlyMemoryContent"/>, a <see cref="StreamContent"/> over a seekable stream, a multipart body of
    /// such parts), or its length is unknown but its type writes it again on the next read
    /// (<see cref="System.Net.Http.Json.JsonContent"/>, and multipart bodies whose parts are all such types or byte
    /// arrays); such a body is buffered if it fits. A body held in memory (byte arrays, strings, memory, multipart
    /// bodies of those) is not buffered, since it writes the same bytes again, but is replayable only within this limit
    /// too.
    /// </para>
    /// <para>
    /// Any other body is sent untouched and is not replayable: a larger one, a <see cref="StreamContent"/> over a
    /// stream that cannot seek (for example Blazor's <c>IBrowserFile.OpenReadStream()</c>), a multipart body of
    /// unknown length that holds a <see cref="StreamContent"/>, or a content type the handler does not know. If such a
    /// request then needs reverification, the handler throws an <see cref="InvalidOperationException"/> instead of
    /// prompting and resending an empty body. To make an upload replayable, give it a known length (copy the file into
    /// a <see cref="MemoryStream"/>, within this limit).
    /// </para>
    /// </remarks>
    public long MaxReplayableContentBytes { get; set; } = DefaultMaxReplayableContentBytes;

    /// <summary>
    /// Whether an RFC 9470 challenge (<c>WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=N</c>)
    /// is recognised when the body is not the contract's. Default: <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The header names no factors, so a challenge read from it asks for
    /// <see cref="ReverificationFactors.SecondFactor"/> within <c>max_age</c>; a challenge without <c>max_age</c> is
    /// not recognised.
    /// </para>
    /// <para>
    /// The header also gives the level of a contract body that names none this client understands (for example
    /// Clerk's <c>"metadata":{}</c>). When this option is <see langword="false"/> the header is not read at all, and
    /// such a body asks for <see cref="ReverificationChallenge.Default"/>.
    /// </para>
    /// </remarks>
    public bool RecognizeChallengeHeader { get; set; } = true;
}
