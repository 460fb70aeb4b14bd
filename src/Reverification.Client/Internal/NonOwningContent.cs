using System.Net;

namespace Reverification.Client.Internal;

/// <summary>
/// The body of a retry whose original body is held in memory: writes the caller's content again, without copying it
/// and without owning it.
/// </summary>
/// <remarks>
/// Only used for contents that <see cref="RequestSnapshot.IsInMemory"/> accepts: they write the same bytes from memory
/// on every call, keep no state while doing so (a retry may even overlap the end of the first send), and can be
/// written again after a send. Disposing this wrapper (the retry request is disposed with it) marks only the wrapper
/// disposed: <see cref="HttpContent"/>'s own disposal releases what the wrapper buffered itself, never the caller's
/// content, which stays the caller's to dispose.
/// </remarks>
internal sealed class NonOwningContent : HttpContent
{
    private readonly HttpContent _content;
    private readonly long _length;

    /// <param name="content">The caller's content.</param>
    /// <param name="length">Its length, read before the first send.</param>
    public NonOwningContent(HttpContent content, long length)
    {
        _content = content;
        _length = length;
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => _content.CopyTo(stream, context, cancellationToken);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => _content.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => _content.CopyToAsync(stream, context, cancellationToken);

    // Asked when the headers copied from the snapshot carry no Content-Length (the snapshot is taken before the caller's
    // content computes it): the same length as the first send's.
    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    // Reading the retry's body as a stream (CreateContentReadStream) is left to HttpContent, which buffers this wrapper:
    // asking the caller's content for its stream would hand out, and make it cache, a stream the caller may read later.
}
