using System.Runtime.CompilerServices;

namespace Reverification.Client.Internal;

/// <summary>
/// Whether a request's body can be sent again after a reverification, and what that needs before the first send. The
/// retry sends the caller's own request again (as Microsoft.Extensions.Http.Resilience's retry does), so nothing is
/// copied: a body is either sent again as it is, or buffered in place first (<see cref="HttpContent.LoadIntoBufferAsync()"/>,
/// after which the content writes its buffer on every send), or not replayable.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// Whether <paramref name="content"/> writes the same bytes from memory on every send, keeps no state while doing so
    /// (a retry may even overlap the end of the first send over HTTP/2) and knows its length: it needs no work before the
    /// first send, and the limit is checked only if the answer asks for reverification.
    /// </summary>
    public static bool IsSentAgainAsIs(HttpContent content) => content is ByteArrayContent or ReadOnlyMemoryContent;

    /// <summary>
    /// For a body that <see cref="IsSentAgainAsIs"/> does not take: why it cannot be sent again, or <see langword="null"/>
    /// when it can, as it is or (<paramref name="needsBuffering"/>) after <see cref="BufferAsync"/>.
    /// </summary>
    /// <remarks>
    /// Buffering reads the body before it is sent; a failed attempt (a body larger than the limit) leaves a one-shot
    /// stream half read, and the first send would then fail. So a body is read only when that is known to be safe: its
    /// length is known and within the limit (buffering reads it whole, and the send then writes the buffer), or its type
    /// can write itself again (<see cref="IsKnownReplayable"/>), so an attempt that stops at the limit costs nothing.
    /// Anything else is sent untouched and is not replayable.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // Keeps its temporaries out of the frame of every request.
    public static string? Prepare(HttpContent content, long maxContentBytes, out bool needsBuffering)
    {
        needsBuffering = false;
        var length = content.Headers.ContentLength;
        if (length > maxContentBytes)
        {
            return LargerThanLimit(length.GetValueOrDefault(), maxContentBytes);
        }

        if (length is null)
        {
            if (!IsKnownReplayable(content))
            {
                // A StreamContent over a stream that cannot seek (IBrowserFile.OpenReadStream), a multipart body holding
                // one, or a type this handler does not know: reading it to buffer it could consume it.
                return MayBeReadableOnce(content);
            }
        }
        else if (IsInMemory(content))
        {
            return null;
        }

        needsBuffering = true;
        return null;
    }

    /// <summary>
    /// After the answer asked for reverification: why a body that was not buffered cannot be sent again (it is larger
    /// than the limit), or <see langword="null"/>.
    /// </summary>
    public static string? CheckLimit(HttpContent content, long maxContentBytes)
        => content.Headers.ContentLength is { } length && length > maxContentBytes ? LargerThanLimit(length, maxContentBytes) : null;

    /// <summary>
    /// Buffers a body that <see cref="Prepare"/> left to buffer (of known length within the limit, or of a type that
    /// writes itself again) in place; returns why it cannot be sent again, or <see langword="null"/>.
    /// </summary>
    public static async Task<string?> BufferAsync(HttpContent content, long maxContentBytes, CancellationToken cancellationToken)
    {
        try
        {
            await content.LoadIntoBufferAsync(maxContentBytes, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // A body of unknown length gets here only when it can write itself again, so the first send still works.
            // One whose known length was within the limit overflows only when its Content-Length header is wrong,
            // which would fail the send anyway.
            return $"its body is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)";
        }
    }

    /// <summary>
    /// Whether <paramref name="content"/> writes its body from memory, the same bytes every time: byte arrays
    /// (<see cref="StringContent"/>, <see cref="FormUrlEncodedContent"/>, ...), memory, and multipart bodies of those.
    /// </summary>
    internal static bool IsInMemory(HttpContent content) => content switch
    {
        ByteArrayContent or ReadOnlyMemoryContent => true,
        MultipartContent multipart => AllParts(multipart, inMemory: true),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="content"/> can write its body again after a read, so that trying to buffer it is safe
    /// even when the attempt stops at the limit.
    /// </summary>
    /// <remarks>
    /// Byte arrays, memory, and <see cref="System.Net.Http.Json.JsonContent"/> (which serialises its value again) always
    /// can; a <see cref="MultipartContent"/> can when all its parts can. A <see cref="StreamContent"/> over a seekable
    /// stream always knows its length, so it never needs this check; one whose length is unknown reads a stream that
    /// cannot seek. A <see cref="StreamContent"/> part is therefore not counted here: its known length may be a header
    /// set by hand over a one-shot stream, which the content cannot tell apart from a seekable one.
    /// </remarks>
    internal static bool IsKnownReplayable(HttpContent content) => content switch
    {
        ByteArrayContent or ReadOnlyMemoryContent or System.Net.Http.Json.JsonContent => true,
        MultipartContent multipart => AllParts(multipart, inMemory: false),
        _ => false,
    };

    // A loop rather than Enumerable.All with a delegate; MultipartContent only exposes IEnumerable<HttpContent>, so its
    // enumerator is still allocated (40 bytes per multipart).
    private static bool AllParts(MultipartContent multipart, bool inMemory)
    {
        foreach (var part in multipart)
        {
            if (!(inMemory ? IsInMemory(part) : IsKnownReplayable(part)))
            {
                return false;
            }
        }

        return true;
    }

    private static string LargerThanLimit(long length, long maxContentBytes)
        => $"its body ({length} bytes) is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)";

    private static string MayBeReadableOnce(HttpContent content)
        => $"its body ({content.GetType().Name} of unknown length) may be readable only once, for example a StreamContent over a stream that cannot seek, or a multipart body that holds one";
}
