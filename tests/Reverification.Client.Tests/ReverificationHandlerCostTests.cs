using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Reverification.Client.Tests;

/// <summary>
/// What the handler costs a request that needs no reverification, in bytes allocated beyond the same send without the
/// handler (benchmarks/ClientBenchmarks has the times): nothing, for a request without a body or with a body held in
/// memory, whatever headers and options it carries.
/// </summary>
/// <remarks>
/// Each send builds a new request, as callers do, and the same send through a bare invoker over the same transport is
/// subtracted. The retry sends the caller's own request again, so nothing is captured before the first send: the handler
/// no longer reads the request's headers and options (which <see cref="HttpRequestMessage"/> creates on first access) to
/// copy them, and a request without them costs nothing either.
/// </remarks>
public sealed class ReverificationHandlerCostTests
{
    private static readonly Uri Address = new("https://api.test/transfer");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    [Fact]
    public void SendAsync_GetThatNeedsNoReverification_AllocatesNothing()
    {
        var extra = Extra(() => new HttpRequestMessage(HttpMethod.Get, Address));

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_GetWithHeadersAndOptionsCollections_AllocatesNothing()
    {
        var extra = Extra(() => WithCollections(new HttpRequestMessage(HttpMethod.Get, Address)));

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_AuthorizationAddedAsText_AllocatesNothing()
    {
        var extra = Extra(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Address);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl");
            return request;
        });

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_AuthorizationSetAsTypedValue_AllocatesNothing()
    {
        // The handler no longer copies headers, so a typed value is not formatted to text for a copy.
        var token = new string('t', 800);

        var extra = Extra(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Address);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        });

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_PostOfByteArrayContent_AllocatesNothing()
    {
        var extra = Extra(() => new HttpRequestMessage(HttpMethod.Post, Address) { Content = new ByteArrayContent(new byte[1024]) });

        Assert.Equal(0, extra);
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
    public void SendAsync_PostOfAnInMemoryBodyWhoseLengthWasRead_AllocatesNothing()
    {
        // An outer handler read Content-Length: nothing is copied, so its header costs nothing more.
        var extra = Extra(() =>
        {
            var request = WithCollections(new HttpRequestMessage(HttpMethod.Post, Address) { Content = InMemory("bytes", new byte[16 * 1024]) });
            _ = request.Content!.Headers.ContentLength;
            return request;
        });

        Assert.Equal(0, extra);
    }

    [Fact]
    public void SendAsync_PostOfAMultipartInMemoryBody_AllocatesNothingInProportionToIt()
    {
        var file = new byte[16 * 1024];

        var extra = Extra(() => WithCollections(new HttpRequestMessage(HttpMethod.Post, Address)
        {
            Content = new MultipartFormDataContent("boundary") { { new StringContent("holiday"), "title" }, { new ByteArrayContent(file), "file", "a.bin" } },
        }));

        // The parts' enumerator (MultipartContent only exposes IEnumerable), to tell the body is held in memory; a copy
        // of the body would be 16 KiB more.
        Assert.InRange(extra, 0, 64);
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

    /// <summary>
    /// The bytes one call allocates, after warming up: the least of five rounds of 100 calls. A cost of the handler shows
    /// in every round; a one-off of the runtime (a method recompiled at a higher tier, a lazily built cache) in one
    /// round only, which made a single round flaky (11 bytes per call once in a CI run, 0 otherwise).
    /// </summary>
    private static long Allocated(Func<object> call)
    {
        for (var i = 0; i < 10; i++)
        {
            _ = call();
        }

        const int calls = 100;
        var least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < calls; i++)
            {
                _ = call();
            }

            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / calls);
        }

        return least;
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
