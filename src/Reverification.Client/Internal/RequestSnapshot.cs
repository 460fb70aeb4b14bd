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

        if (length is null && content is StreamContent)
        {
            // A stream that cannot tell its length cannot seek either: reading it to buffer would consume it.
            return new RequestSnapshot(request, null, "its body is a StreamContent over a stream that cannot seek, which can be read only once");
        }

        try
        {
            await content.LoadIntoBufferAsync(maxContentBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return new RequestSnapshot(request, null, $"its body is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)");
        }

        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RequestSnapshot(request, bytes, null);
    }

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
