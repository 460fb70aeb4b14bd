using System.Net;

namespace Reverification.Client.Tests.Infrastructure;

/// <summary>A content that records its disposal, and can fail when read.</summary>
internal sealed class TrackingContent(byte[] bytes, bool knownLength = true, Exception? failOnRead = null) : HttpContent
{
    public bool Disposed { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => failOnRead is null ? stream.WriteAsync(bytes, 0, bytes.Length) : Task.FromException(failOnRead);

    protected override Task<Stream> CreateContentReadStreamAsync()
        => failOnRead is null ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)) : Task.FromException<Stream>(failOnRead);

    protected override bool TryComputeLength(out long length)
    {
        length = knownLength ? bytes.Length : 0;
        return knownLength;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
