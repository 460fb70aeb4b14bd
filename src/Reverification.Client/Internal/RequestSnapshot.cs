using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Reverification.Client.Internal;

/// <summary>
/// What is needed to send a request again: taken before the first send, so that headers added by inner handlers (the
/// stale bearer token) are not copied, with the body to send again.
/// </summary>
/// <remarks>
/// <para>
/// A struct, and header values are kept as the <see cref="HeaderStringValues"/> the headers give (the stored strings; a
/// value set as a typed object, such as <c>Headers.Authorization = new AuthenticationHeaderValue(...)</c>, is formatted,
/// which allocates its text: the public API gives a header's value no other way), one header inline and more in an
/// array: a request without a body costs no allocation beyond the request's own header and option collections, which
/// <see cref="HttpRequestMessage"/> creates on first access and no public API tells empty without creating.
/// </para>
/// <para>
/// A body held in memory (<see cref="IsInMemory"/>) is not copied: the retry writes the caller's content again,
/// through a <see cref="NonOwningContent"/>. Any other replayable body is buffered into an array. A request that cannot
/// be replayed keeps only the reason: nothing else is read, since it is never sent again.
/// </para>
/// </remarks>
internal readonly struct RequestSnapshot
{
    private readonly HttpMethod _method;
    private readonly Uri? _requestUri;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;
    private readonly HeaderSnapshot _headers;
    private readonly KeyValuePair<string, object?>[] _options;
    private readonly HeaderSnapshot _contentHeaders;
    private readonly HttpContent? _inMemoryContent;
    private readonly long _inMemoryLength;
    private readonly byte[]? _bufferedContent;

    private RequestSnapshot(HttpRequestMessage request, HeaderSnapshot contentHeaders, HttpContent? inMemoryContent, long inMemoryLength, byte[]? bufferedContent)
    {
        _method = request.Method;
        _requestUri = request.RequestUri;
        _version = request.Version;
        _versionPolicy = request.VersionPolicy;
        _headers = HeaderSnapshot.Take(request.Headers);
        _options = Copy(request.Options);
        _contentHeaders = contentHeaders;
        _inMemoryContent = inMemoryContent;
        _inMemoryLength = inMemoryLength;
        _bufferedContent = bufferedContent;
    }

    private RequestSnapshot(string notReplayableReason)
    {
        _method = null!;
        _version = null!;
        _options = null!;
        NotReplayableReason = notReplayableReason;
    }

    private RequestSnapshot(bool needsBuffering)
    {
        _method = null!;
        _version = null!;
        _options = null!;
        NeedsBuffering = needsBuffering;
    }

    /// <summary>Why the body cannot be sent again, or <see langword="null"/> when it can.</summary>
    public string? NotReplayableReason { get; }

    /// <summary>Whether <see cref="Capture"/> left the body to <see cref="BufferAsync"/>: nothing is taken yet.</summary>
    public bool NeedsBuffering { get; }

    /// <summary>
    /// Takes the snapshot when that needs no asynchronous work: no body, a body that cannot be replayed, or a body held
    /// in memory whose length is known. Otherwise one whose <see cref="NeedsBuffering"/> is set: use
    /// <see cref="BufferAsync"/>.
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
    /// <see cref="ByteArrayContent"/>, ...) is neither read nor copied: the snapshot keeps the caller's content, which
    /// writes the same bytes again on the retry (also when a <c>Content-Length</c> set by hand is wrong: the retry then
    /// sends what the first send sent). The limit still applies to it, as to any body.
    /// </para>
    /// </remarks>
    public static RequestSnapshot Capture(HttpRequestMessage request, long maxContentBytes)
    {
        // Small enough to be inlined into the handler. The body's cases are out of line (so are the header enumerator
        // and the reasons' texts): their temporaries would otherwise enlarge the stack frame that every request zeroes
        // on entry (720 bytes in a first version: 15-20 ns a request).
        var content = request.Content;
        return content is null ? new RequestSnapshot(request, default, null, 0, null) : CaptureWithContent(request, content, maxContentBytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RequestSnapshot CaptureWithContent(HttpRequestMessage request, HttpContent content, long maxContentBytes)
    {
        // Taken before the length is read: reading it stores the computed Content-Length among the headers, and a
        // snapshot without it costs less (the retry's content computes the same length). A length set by hand is
        // already there and is taken as it is.
        var contentHeaders = HeaderSnapshot.Take(content.Headers);
        var length = content.Headers.ContentLength;
        if (length > maxContentBytes)
        {
            return new RequestSnapshot(LargerThanLimit(length.GetValueOrDefault(), maxContentBytes));
        }

        if (length is not { } known)
        {
            if (!IsKnownReplayable(content))
            {
                // A StreamContent over a stream that cannot seek (IBrowserFile.OpenReadStream), a multipart body holding
                // one, or a type this handler does not know: reading it to buffer it could consume it.
                return new RequestSnapshot(MayBeReadableOnce(content));
            }
        }
        else if (IsInMemory(content))
        {
            return new RequestSnapshot(request, contentHeaders, content, known, null);
        }

        return new RequestSnapshot(needsBuffering: true);
    }

    // Out of line: an interpolated string's handler inlined into the caller would enlarge its stack frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string LargerThanLimit(long length, long maxContentBytes)
        => $"its body ({length} bytes) is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string MayBeReadableOnce(HttpContent content)
        => $"its body ({content.GetType().Name} of unknown length) may be readable only once, for example a StreamContent over a stream that cannot seek, or a multipart body that holds one";

    /// <summary>
    /// Takes the snapshot of a request whose body <see cref="Capture"/> left to buffer: of known length within the
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
            return new RequestSnapshot($"its body is larger than MaxReplayableContentBytes ({maxContentBytes} bytes)");
        }

        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RequestSnapshot(request, HeaderSnapshot.Take(content.Headers), null, 0, bytes);
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

    /// <summary>A new request like the original one.</summary>
    public HttpRequestMessage CreateRequest()
    {
        Debug.Assert(NotReplayableReason is null && !NeedsBuffering, "A request that cannot be replayed is never sent again.");
        var request = new HttpRequestMessage(_method, _requestUri)
        {
            Version = _version,
            VersionPolicy = _versionPolicy,
        };
        _headers.AddTo(request.Headers);
        var options = (IDictionary<string, object?>)request.Options;
        foreach (var option in _options)
        {
            options[option.Key] = option.Value;
        }

        HttpContent? content = _inMemoryContent is not null ? new NonOwningContent(_inMemoryContent, _inMemoryLength)
            : _bufferedContent is not null ? new ByteArrayContent(_bufferedContent)
            : null;
        if (content is not null)
        {
            _contentHeaders.AddTo(content.Headers);
            request.Content = content;
        }

        return request;
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

    /// <summary>
    /// The headers of a collection as they were: none, one inline (a request's <c>Authorization</c>, a body's
    /// <c>Content-Type</c>: no allocation), or more in an array.
    /// </summary>
    private readonly struct HeaderSnapshot
    {
        private readonly KeyValuePair<string, HeaderStringValues> _single;
        private readonly KeyValuePair<string, HeaderStringValues>[]? _several;

        private HeaderSnapshot(KeyValuePair<string, HeaderStringValues> single, KeyValuePair<string, HeaderStringValues>[]? several)
        {
            _single = single;
            _several = several;
        }

        public static HeaderSnapshot Take(HttpHeaders headers)
        {
            var nonValidated = headers.NonValidated;
            return nonValidated.Count == 0 ? default : TakeSome(nonValidated);
        }

        // Out of line, so that the enumerator is not in the frame of every caller (which zeroes it): a request without
        // headers does not pay for it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static HeaderSnapshot TakeSome(HttpHeadersNonValidated nonValidated)
        {
            var count = nonValidated.Count;
            var several = count == 1 ? null : new KeyValuePair<string, HeaderStringValues>[count];
            var single = default(KeyValuePair<string, HeaderStringValues>);
            var i = 0;
            foreach (var header in nonValidated)
            {
                if (several is null)
                {
                    single = header;
                    break;
                }

                several[i++] = header;
            }

            return new HeaderSnapshot(single, several);
        }

        /// <summary>Adds the headers to <paramref name="target"/>, replacing what it has under those names.</summary>
        public void AddTo(HttpHeaders target)
        {
            if (_several is not null)
            {
                foreach (var header in _several)
                {
                    Add(target, header);
                }
            }
            else if (_single.Key is not null)
            {
                Add(target, _single);
            }
        }

        private static void Add(HttpHeaders target, KeyValuePair<string, HeaderStringValues> header)
        {
            // A new request has no headers of its own; a new content may have computed its Content-Length already.
            target.Remove(header.Key);
            target.TryAddWithoutValidation(header.Key, header.Value);
        }
    }
}
