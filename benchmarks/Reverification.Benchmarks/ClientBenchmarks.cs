using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Reverification.Client;

namespace Reverification.Benchmarks;

/// <summary>
/// What <see cref="ReverificationHandler"/> costs a request that needs no reverification: an <see cref="HttpClient"/>
/// with the handler against a bare one (the baseline), both over the same in-process inner handler that answers with
/// one cached 200 after doing what any transport does with a body: read its length, format its headers and write it
/// (to <see cref="Stream.Null"/>). A GET, and a POST of a 1 KB JSON body (which the handler copies, to be able to send
/// it again).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientBenchmarks
{
    private static readonly Uri Address = new("https://api.test/transfer");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly byte[] _body = new byte[1024];
    private HttpClient _bare = null!;
    private HttpClient _withHandler = null!;

    [GlobalSetup]
    public void Setup()
    {
        Array.Fill(_body, (byte)'a');
        _bare = new HttpClient(new CachedOkHandler());
        _withHandler = new HttpClient(new ReverificationHandler(new NeverPrompt()) { InnerHandler = new CachedOkHandler() });

        // Both answer, and the handler passes the 200 through without prompting.
        foreach (var client in new[] { _bare, _withHandler })
        {
            if (client.Send(Post()).StatusCode != HttpStatusCode.OK || client.Send(new HttpRequestMessage(HttpMethod.Get, Address)).StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException("The benchmark's client did not get its 200.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _withHandler.Dispose();
    }

    [BenchmarkCategory("GET"), Benchmark(Baseline = true, Description = "GET, bare HttpClient")]
    public Task<HttpResponseMessage> BareGet() => _bare.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("GET"), Benchmark(Description = "GET, with ReverificationHandler")]
    public Task<HttpResponseMessage> HandlerGet() => _withHandler.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("POST 1 KB"), Benchmark(Baseline = true, Description = "POST 1 KB, bare HttpClient")]
    public Task<HttpResponseMessage> BarePost() => _bare.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("POST 1 KB"), Benchmark(Description = "POST 1 KB, with ReverificationHandler")]
    public Task<HttpResponseMessage> HandlerPost() => _withHandler.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead);

    /// <summary>
    /// For the probe: a bare GET whose request has its headers and options collections, which
    /// <see cref="HttpRequestMessage"/> creates on first access and the handler's snapshot reads.
    /// </summary>
    public Task<HttpResponseMessage> BareGetWithCollections()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Address);
        _ = request.Headers;
        _ = request.Options;
        return _bare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private HttpRequestMessage Post()
    {
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, Address) { Content = content };
    }

    /// <summary>
    /// The transport: does with a body what a socket handler does (its length, its headers as text, its bytes), to
    /// nowhere, and answers with one cached 200.
    /// </summary>
    private sealed class CachedOkHandler : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _ok = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) });

        public long Written { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
            => SendAsync(request, cancellationToken).Result;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                Written += content.Headers.ContentLength ?? 0;
                foreach (var header in content.Headers.NonValidated)
                {
                    foreach (var value in header.Value)
                    {
                        Written += header.Key.Length + value.Length;
                    }
                }

                content.CopyTo(Stream.Null, context: null, cancellationToken);
            }

            return _ok;
        }
    }

    /// <summary>Never called: no request here needs reverification.</summary>
    private sealed class NeverPrompt : IReverificationPrompt
    {
        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
            => throw new InvalidOperationException("No request in this benchmark needs reverification.");
    }
}
