using System.Net.Http.Headers;

namespace Reverification.Client.Internal;

/// <summary>
/// What is needed to send a request again: taken before the first send, so that headers added by inner handlers (the
/// stale bearer token) are not copied, and with the body buffered.
/// </summary>
internal sealed class RequestSnapshot
{
    private readonly HttpMethod _method;
    private readonly Uri? _requestUri;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;
    private readonly KeyValuePair<string, string[]>[] _headers;
    private readonly KeyValuePair<string, object?>[] _options;
    private readonly byte[]? _content;
    private readonly KeyValuePair<string, string[]>[] _contentHeaders;

    private RequestSnapshot(HttpRequestMessage request, byte[]? content, string? notReplayableReason)
    {
        _method = request.Method;
        _requestUri = request.RequestUri;
        _version = request.Version;
        _versionPolicy = request.VersionPolicy;
        _headers = Copy(request.Headers);
        _options = [.. request.Options];
        _content = content;
        _contentHeaders = request.Content is null ? [] : Copy(request.Content.Headers);
        NotReplayableReason = notReplayableReason;
    }

    /// <summary>Why the body cannot be sent again, or <see langword="null"/> when it can.</summary>
    public string? NotReplayableReason { get; }

    /// <summary>
    /// Takes the snapshot, buffering the body when that cannot break the first send.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Buffering reads the body before it is sent; a failed attempt (a body larger than the limit) leaves a one-shot
    /// stream half read, and the first send would then fail. So a body is read here only when that is known to be
    /// safe: its length is known and within the limit (buffering reads it whole, and the send then writes the buffer),
    /// or its type can write itself again (<see cref="IsKnownReplayable"/>), so an attempt that stops at the limit
    /// costs nothing. Anything else is sent untouched and marked not replayable.
    /// </para>
    /// </remarks>
    public static async Task<RequestSnapshot> CaptureAsync(HttpRequestMessage request, long maxContentBytes, CancellationToken cancellationToken)
    {
        var content = request.Content;
        if (content is null)
        {
            return new RequestSnapshot(request, null, null);
        }

        var length = content.Headers.ContentLength;
        if (length > maxContentBytes)
        {
            return new RequestSnapshot(request, null, $"its body ({length} bytes) is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)");
        }

        if (length is null && !IsKnownReplayable(content))
        {
            // A StreamContent over a stream that cannot seek (IBrowserFile.OpenReadStream), a multipart body holding
            // one, or a type this handler does not know: reading it to buffer it could consume it.
            return new RequestSnapshot(
                request,
                null,
                $"its body ({content.GetType().Name} of unknown length) may be readable only once, for example a StreamContent over a stream that cannot seek, or a multipart body that holds one");
        }

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

    private static KeyValuePair<string, string[]>[] Copy(HttpHeaders headers)
        => [.. headers.NonValidated.Select(static h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]))];
}
