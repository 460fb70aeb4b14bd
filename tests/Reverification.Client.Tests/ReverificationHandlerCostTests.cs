using System.Net;
using System.Net.Http.Headers;

namespace Reverification.Client.Tests;

/// <summary>
/// What the handler costs a request that needs no reverification, in allocated bytes (benchmarks/ClientBenchmarks has
/// the times): nothing for a request without a body, one copy of a body held in memory.
/// </summary>
/// <remarks>
/// The snapshot for the retry reads the request's headers and options, which <see cref="HttpRequestMessage"/> creates on
/// first access; the requests here have them already, as a request that carries a header or an option does.
/// </remarks>
public sealed class ReverificationHandlerCostTests
{
    private static readonly Uri Address = new("https://api.test/transfer");

    [Fact]
    public void SendAsync_GetThatNeedsNoReverification_AllocatesNothing()
    {
        var transport = new CachedOkHandler();
        using var invoker = new HttpMessageInvoker(new ReverificationHandler(new Infrastructure.FakePrompt()) { InnerHandler = transport });
        using var request = WithCollections(new HttpRequestMessage(HttpMethod.Get, Address));

        var allocated = Measure(() => invoker.SendAsync(request, CancellationToken.None), transport);

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SendAsync_PostOfAnInMemoryBody_AllocatesOneCopyOfIt()
    {
        var transport = new CachedOkHandler();
        using var invoker = new HttpMessageInvoker(new ReverificationHandler(new Infrastructure.FakePrompt()) { InnerHandler = transport });
        using var request = WithCollections(new HttpRequestMessage(HttpMethod.Post, Address) { Content = new ByteArrayContent(new byte[4096]) });
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var allocated = Measure(() => invoker.SendAsync(request, CancellationToken.None), transport);

        // The copy (4096 bytes), the fixed stream that writes it and the content headers' snapshot; a second copy of
        // the body (buffering the content, then copying its buffer) would be 4096 bytes more.
        Assert.InRange(allocated, 4096, 4096 + 512);
    }

    private static HttpRequestMessage WithCollections(HttpRequestMessage request)
    {
        _ = request.Headers;
        _ = request.Options;
        return request;
    }

    /// <summary>The bytes allocated by one send, after warming up; the answer must come from the transport as it is.</summary>
    private static long Measure(Func<Task<HttpResponseMessage>> send, CachedOkHandler transport)
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Same(transport.Ok, send());
        }

        const int calls = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            _ = send();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    /// <summary>An in-memory transport: writes the body as a socket handler would, answers with one cached 200.</summary>
    private sealed class CachedOkHandler : HttpMessageHandler
    {
        public Task<HttpResponseMessage> Ok { get; } = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Content?.CopyTo(Stream.Null, context: null, cancellationToken);
            return Ok;
        }
    }
}
