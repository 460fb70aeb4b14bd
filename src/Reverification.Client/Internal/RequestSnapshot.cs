using System.Net.Http.Headers;

namespace Reverification.Client.Internal;

/// <summary>
/// What is needed to send a request again: taken before the first send, so that headers added by inner handlers (the
/// stale bearer token) are not copied, and with a copy of the body.
/// </summary>
/// <remarks>
/// A struct, and header values are kept as the <see cref="HeaderStringValues"/> the headers give (immutable strings):
/// a request without a body costs no allocation beyond the request's own header and option collections.
/// </remarks>
internal readonly struct RequestSnapshot
{
    private readonly HttpMethod _method;
    private readonly Uri? _requestUri;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;
    private readonly KeyValuePair<string, HeaderStringValues>[] _headers;
    private readonly KeyValuePair<string, object?>[] _options;
    private readonly byte[]? _content;
    private readonly KeyValuePair<string, HeaderStringValues>[] _contentHeaders;

    private RequestSnapshot(HttpRequestMessage request, byte[]? content, string? notReplayableReason)
    {
        _method = request.Method;
        _requestUri = request.RequestUri;
        _version = request.Version;
        _versionPolicy = request.VersionPolicy;
        _headers = Copy(request.Headers);
        _options = Copy(request.Options);
        _content = content;
        _contentHeaders = request.Content is null ? [] : Copy(request.Content.Headers);
        NotReplayableReason = notReplayableReason;
    }

    /// <summary>Why the body cannot be sent again, or <see langword="null"/> when it can.</summary>
    public string? NotReplayableReason { get; }

    /// <summary>
    /// Takes the snapshot when that needs no asynchronous work: no body, a body that cannot be replayed, or a body held
    /// in memory whose length is known. Otherwise <see langword="false"/>: use <see cref="BufferAsync"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Buffering reads the body before it is sent; a failed attempt (a body larger than the limit) leaves a one-shot
    /// stream half read, and the first send would then fail. So a body is read only when that is known to be safe: its
    /// length is known and within the limit (buffering reads it whole, and the send then writes the buffer), or its
    /// type can write itself again (<see cref="IsKnownReplayable"/>), so an attempt that stops at the limit costs
    /// nothing. Anything else is sent untouched and marked not replayable.
    /// </para>
    /// <para>
    /// A body held in memory whose length is known (<see cref="IsInMemory"/>: <see cref="StringContent"/>,
    /// <see cref="ByteArrayContent"/>, ...) is copied once into an array of that length, without buffering the content
    /// itself (which would copy it twice); the first send writes it from its own memory as usual.
    /// </para>
    /// </remarks>
    public static bool TryCapture(HttpRequestMessage request, long maxContentBytes, CancellationToken cancellationToken, out RequestSnapshot snapshot)
    {
        var content = request.Content;
        if (content is null)
        {
            snapshot = new RequestSnapshot(request, null, null);
            return true;
        }

        var length = content.Headers.ContentLength;
        if (length > maxContentBytes)
        {
            snapshot = new RequestSnapshot(request, null, $"its body ({length} bytes) is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)");
            return true;
        }

        if (length is null && !IsKnownReplayable(content))
        {
            // A StreamContent over a stream that cannot seek (IBrowserFile.OpenReadStream), a multipart body holding
            // one, or a type this handler does not know: reading it to buffer it could consume it.
            snapshot = new RequestSnapshot(
                request,
                null,
                $"its body ({content.GetType().Name} of unknown length) may be readable only once, for example a StreamContent over a stream that cannot seek, or a multipart body that holds one");
            return true;
        }

        if (length is { } known && IsInMemory(content) && TryCopy(content, (int)known, cancellationToken) is { } copy)
        {
            snapshot = new RequestSnapshot(request, copy, null);
            return true;
        }

        snapshot = default;
        return false;
    }

    /// <summary>
    /// Takes the snapshot of a request whose body <see cref="TryCapture"/> left to buffer: of known length within the
    /// limit, or of a type that writes itself again.
    /// </summary>
    public static async Task<RequestSnapshot> BufferAsync(HttpRequestMessage request, long maxContentBytes, CancellationToken cancellationToken)
    {
        var content = request.Content!;
        try
        {
            await content.LoadIntoBufferAsync(maxContentBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // A body of unknown length gets here only when it can write itself again, so the first send still works.
            // One whose known length was within the limit overflows only when its Content-Length header is wrong,
            // which would fail the send anyway.
            return new RequestSnapshot(request, null, $"its body is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)");
        }

        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RequestSnapshot(request, bytes, null);
    }

    /// <summary>
    /// Copies an in-memory body into an array of its stated length; <see langword="null"/> when it writes another
    /// number of bytes (a <c>Content-Length</c> set by hand that does not match), to be buffered the general way.
    /// </summary>
    private static byte[]? TryCopy(HttpContent content, int length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return [];
        }

        var bytes = new byte[length];
        using var stream = new MemoryStream(bytes, writable: true); // Fixed size: writing past the length throws.
        try
        {
            // In memory: writing it synchronously does no I/O.
            content.CopyTo(stream, context: null, cancellationToken);
        }
        catch (NotSupportedException)
        {
            return null;
        }

        return stream.Position == length ? bytes : null;
    }

    /// <summary>
    /// Whether <paramref name="content"/> writes its body from memory, the same bytes every time: byte arrays
    /// (<see cref="StringContent"/>, <see cref="FormUrlEncodedContent"/>, ...), memory, and multipart bodies of those.
    /// </summary>
    internal static bool IsInMemory(HttpContent content) => content switch
    {
        ByteArrayContent or ReadOnlyMemoryContent => true,
        MultipartContent multipart => multipart.All(IsInMemory),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="content"/> can write its body again after a read, so that trying to buffer it is safe
    /// even when the attempt stops at the limit.
    /// </summary>
    /// <remarks>
    /// Byte arrays (<see cref="StringContent"/>, <see cref="FormUrlEncodedContent"/>, ...), memory, and
    /// <see cref="System.Net.Http.Json.JsonContent"/> (which serialises its value again) always can; a
    /// <see cref="MultipartContent"/> can when all its parts can. A <see cref="StreamContent"/> over a seekable stream
    /// rewinds, but it always knows its length, so it never needs this check; one whose length is unknown reads a
    /// stream that cannot seek. A <see cref="StreamContent"/> part is therefore not counted here: its known length may
    /// be a header set by hand over a one-shot stream, which the content cannot tell apart from a seekable one.
    /// </remarks>
    internal static bool IsKnownReplayable(HttpContent content) => content switch
    {
        ByteArrayContent or ReadOnlyMemoryContent or System.Net.Http.Json.JsonContent => true,
        MultipartContent multipart => multipart.All(IsKnownReplayable),
        _ => false,
    };

    /// <summary>A new request like the original one.</summary>
    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(_method, _requestUri)
        {
            Version = _version,
            VersionPolicy = _versionPolicy,
        };
        foreach (var header in _headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var options = (IDictionary<string, object?>)request.Options;
        foreach (var option in _options)
        {
            options[option.Key] = option.Value;
        }

        if (_content is not null)
        {
            var content = new ByteArrayContent(_content);
            foreach (var header in _contentHeaders)
            {
                content.Headers.Remove(header.Key);
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = content;
        }

        return request;
    }

    private static KeyValuePair<string, HeaderStringValues>[] Copy(HttpHeaders headers)
    {
        var nonValidated = headers.NonValidated;
        if (nonValidated.Count == 0)
        {
            return [];
        }

        var copy = new KeyValuePair<string, HeaderStringValues>[nonValidated.Count];
        var i = 0;
        foreach (var header in nonValidated)
        {
            copy[i++] = header;
        }

        return copy;
    }

    private static KeyValuePair<string, object?>[] Copy(HttpRequestOptions options)
    {
        ICollection<KeyValuePair<string, object?>> collection = options;
        if (collection.Count == 0)
        {
            return [];
        }

        var copy = new KeyValuePair<string, object?>[collection.Count];
        collection.CopyTo(copy, 0);
        return copy;
    }
}
