using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Reverification.Client.Tests;

/// <summary>
/// What the handler costs a request that needs no reverification, in bytes allocated beyond the same send without the
/// handler (benchmarks/ClientBenchmarks has the times): nothing for the body of an in-memory request, nothing for a
/// request without a body beyond its header and option collections.
/// </summary>
/// <remarks>
/// Each send builds a new request, as callers do, and the same send through a bare invoker over the same transport is
/// subtracted. The snapshot for the retry reads the request's headers and options, which <see cref="HttpRequestMessage"/>
/// creates on first access; most requests here have them already, as a request that carries a header or an option does.
/// </remarks>
public sealed class ReverificationHandlerCostTests
{
    private static readonly Uri Address = new("https://api.test/transfer");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    [Fact]
    public void SendAsync_GetThatNeedsNoReverification_AllocatesNothing()
    {
        var extra = Extra(() => WithCollections(new HttpRequestMessage(HttpMethod.Get, Address)));

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_GetWithoutHeadersOrOptions_AllocatesOnlyTheRequestsOwnCollections()
    {
        var collections = Allocated(() => WithCollections(new HttpRequestMessage(HttpMethod.Get, Address)))
            - Allocated(() => new HttpRequestMessage(HttpMethod.Get, Address));

        var extra = Extra(() => new HttpRequestMessage(HttpMethod.Get, Address));

        Assert.True(collections > 0);
        Assert.Equal(collections, extra);
    }

    [Fact]
    public void SendAsync_AuthorizationAddedAsText_AllocatesNothing()
    {
        var extra = Extra(() =>
        {
            var request = WithCollections(new HttpRequestMessage(HttpMethod.Get, Address));
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl");
            return request;
        });

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_AuthorizationSetAsTypedValue_AllocatesOnlyItsText()
    {
        // HttpHeaders hands out a typed value only as text: the snapshot formats it once (a transport does too).
        var token = new string('t', 800);
        var text = Allocated(() => new AuthenticationHeaderValue("Bearer", token).ToString()) - Allocated(() => new AuthenticationHeaderValue("Bearer", token));

        var extra = Extra(() =>
        {
            var request = WithCollections(new HttpRequestMessage(HttpMethod.Get, Address));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        });

        Assert.True(text > 1600);
        Assert.Equal(text, extra);
    }

    public static TheoryData<string> InMemoryBodies => ["bytes", "string", "memory"];

    [Theory]
    [MemberData(nameof(InMemoryBodies))]
    public void SendAsync_PostOfAnInMemoryBody_AllocatesNothingForIt(string kind)
    {
        var bytes = new byte[16 * 1024];

        var extra = Extra(() => WithCollections(new HttpRequestMessage(HttpMethod.Post, Address) { Content = InMemory(kind, bytes) }));

        // A copy of the body would be 16 KiB more; its content headers (one Content-Type) are kept inline.
        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_PostOfAnInMemoryBodyWhoseLengthWasRead_AllocatesOnlyItsHeaders()
    {
        // An outer handler read Content-Length: the snapshot then holds two content headers, in an array, and the length
        // as text. Still nothing in proportion to the body.
        var extra = Extra(() =>
        {
            var request = WithCollections(new HttpRequestMessage(HttpMethod.Post, Address) { Content = InMemory("bytes", new byte[16 * 1024]) });
            _ = request.Content!.Headers.ContentLength;
            return request;
        });

        Assert.InRange(extra, 1, 160);
    }

    [Fact]
    public void SendAsync_PostOfAMultipartInMemoryBody_AllocatesNothingInProportionToIt()
    {
        var file = new byte[16 * 1024];

        var extra = Extra(() => WithCollections(new HttpRequestMessage(HttpMethod.Post, Address)
        {
            Content = new MultipartFormDataContent("boundary") { { new StringContent("holiday"), "title" }, { new ByteArrayContent(file), "file", "a.bin" } },
        }));

        // The parts' enumerators (MultipartContent only exposes IEnumerable) and the Content-Type with its boundary as
        // text; a copy of the body would be 16 KiB more.
        Assert.InRange(extra, 1, 256);
    }

    private static HttpContent InMemory(string kind, byte[] bytes)
    {
        HttpContent content = kind switch
        {
            "bytes" => new ByteArrayContent(bytes),
            "string" => new StringContent(Encoding.ASCII.GetString(bytes)),
            "memory" => new ReadOnlyMemoryContent(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        content.Headers.ContentType = Json;
        return content;
    }

    private static HttpRequestMessage WithCollections(HttpRequestMessage request)
    {
        _ = request.Headers;
        _ = request.Options;
        return request;
    }

    /// <summary>
    /// The bytes one send through the handler allocates beyond the same send without it; the answer must come from the
    /// transport as it is.
    /// </summary>
    private static long Extra(Func<HttpRequestMessage> create)
    {
        var transport = new CachedOkHandler();
        using var bare = new HttpMessageInvoker(transport, disposeHandler: false);
        using var withHandler = new HttpMessageInvoker(new ReverificationHandler(new Infrastructure.FakePrompt()) { InnerHandler = transport });
        return Allocated(() => Send(withHandler, create(), transport)) - Allocated(() => Send(bare, create(), transport));
    }

    private static object Send(HttpMessageInvoker invoker, HttpRequestMessage request, CachedOkHandler transport)
    {
        var answer = invoker.SendAsync(request, CancellationToken.None);
        Assert.Same(transport.Ok, answer);
        return answer;
    }

    /// <summary>The bytes one call allocates, after warming up.</summary>
    private static long Allocated(Func<object> call)
    {
        for (var i = 0; i < 10; i++)
        {
            _ = call();
        }

        const int calls = 100;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            _ = call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    /// <summary>
    /// An in-memory transport: reads the body's length (which stores it among the content headers) and writes the body,
    /// as a socket handler does, and answers with one cached 200.
    /// </summary>
    private sealed class CachedOkHandler : HttpMessageHandler
    {
        public Task<HttpResponseMessage> Ok { get; } = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                _ = content.Headers.ContentLength;
                content.CopyTo(Stream.Null, context: null, cancellationToken);
            }

            return Ok;
        }
    }
}
