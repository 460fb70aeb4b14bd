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
/// (to <see cref="Stream.Null"/>). A GET, a POST of a 1 KB JSON body, and a GET that carries a bearer token as apps send
/// it (<c>Headers.Authorization = new AuthenticationHeaderValue("Bearer", token)</c>, a Clerk-shaped RS256 session
/// token), over a transport that also formats the request's headers as a socket handler does.
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
    private HttpClient _passThrough = null!;
    private HttpClient _bareWithHeaders = null!;
    private HttpClient _withHandlerWithHeaders = null!;
    private HttpClient _withResolver = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        Array.Fill(_body, (byte)'a');
        _bare = new HttpClient(new CachedOkHandler());
        _withHandler = new HttpClient(new ReverificationHandler(new NeverPrompt()) { InnerHandler = new CachedOkHandler() });
        _passThrough = new HttpClient(new PassThroughHandler { InnerHandler = new CachedOkHandler() });

        // Blazor Server's registration: the prompt resolved per request (the circuit's dialog), its coordinator looked up.
        _withResolver = new HttpClient(new ReverificationHandler(new FixedResolver(new NeverPrompt()), options: null, logger: null) { InnerHandler = new CachedOkHandler() });

        // The Authorization case has its own transport, which also formats the request headers: the existing cases keep
        // theirs, so that their figures stay comparable with earlier runs.
        _token = BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(0, 0)), BenchTokens.Rs256);
        _bareWithHeaders = new HttpClient(new CachedOkHandler(formatRequestHeaders: true));
        _withHandlerWithHeaders = new HttpClient(new ReverificationHandler(new NeverPrompt()) { InnerHandler = new CachedOkHandler(formatRequestHeaders: true) });

        // All answer, and the handler passes the 200 through without prompting.
        foreach (var client in new[] { _bare, _withHandler, _passThrough, _bareWithHeaders, _withHandlerWithHeaders, _withResolver })
        {
            if (client.Send(Post()).StatusCode != HttpStatusCode.OK
                || client.Send(new HttpRequestMessage(HttpMethod.Get, Address)).StatusCode != HttpStatusCode.OK
                || client.Send(AuthorizedGet()).StatusCode != HttpStatusCode.OK)
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
        _passThrough.Dispose();
        _bareWithHeaders.Dispose();
        _withHandlerWithHeaders.Dispose();
        _withResolver.Dispose();
    }

    [BenchmarkCategory("GET"), Benchmark(Baseline = true, Description = "GET, bare HttpClient")]
    public Task<HttpResponseMessage> BareGet() => _bare.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("GET"), Benchmark(Description = "GET, with ReverificationHandler")]
    public Task<HttpResponseMessage> HandlerGet() => _withHandler.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("GET"), Benchmark(Description = "GET, with ReverificationHandler and a prompt resolver (Blazor Server)")]
    public Task<HttpResponseMessage> ResolverGet() => _withResolver.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("POST 1 KB"), Benchmark(Baseline = true, Description = "POST 1 KB, bare HttpClient")]
    public Task<HttpResponseMessage> BarePost() => _bare.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("POST 1 KB"), Benchmark(Description = "POST 1 KB, with ReverificationHandler")]
    public Task<HttpResponseMessage> HandlerPost() => _withHandler.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("GET + Authorization"), Benchmark(Baseline = true, Description = "GET + Authorization, bare HttpClient")]
    public Task<HttpResponseMessage> BareAuthorizedGet() => _bareWithHeaders.SendAsync(AuthorizedGet(), HttpCompletionOption.ResponseHeadersRead);

    [BenchmarkCategory("GET + Authorization"), Benchmark(Description = "GET + Authorization, with ReverificationHandler")]
    public Task<HttpResponseMessage> HandlerAuthorizedGet() => _withHandlerWithHeaders.SendAsync(AuthorizedGet(), HttpCompletionOption.ResponseHeadersRead);

    /// <summary>
    /// For the probe: a bare GET whose request has its headers and options collections, which
    /// <see cref="HttpRequestMessage"/> creates on first access (the handler no longer reads them).
    /// </summary>
    public Task<HttpResponseMessage> BareGetWithCollections()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Address);
        _ = request.Headers;
        _ = request.Options;
        return _bare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>For the probe: a GET through a <see cref="DelegatingHandler"/> that does nothing, the floor of any handler.</summary>
    public Task<HttpResponseMessage> PassThroughGet() => _passThrough.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), HttpCompletionOption.ResponseHeadersRead);

    /// <summary>For the probe: the POST through a <see cref="DelegatingHandler"/> that does nothing.</summary>
    public Task<HttpResponseMessage> PassThroughPost() => _passThrough.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead);

    private HttpRequestMessage AuthorizedGet()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return request;
    }

    private HttpRequestMessage Post()
    {
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, Address) { Content = content };
    }

    /// <summary>
    /// The transport: does with a body what a socket handler does (its length, its headers as text, its bytes), to
    /// nowhere, and answers with one cached 200. With <paramref name="formatRequestHeaders"/>, formats the request's
    /// headers as text too (a socket handler does; left out of the GET and POST cases, whose requests have no headers,
    /// because reading <see cref="HttpRequestMessage.Headers"/> creates them).
    /// </summary>
    private sealed class CachedOkHandler(bool formatRequestHeaders = false) : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _ok = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) });

        public long Written { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
            => SendAsync(request, cancellationToken).Result;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (formatRequestHeaders)
            {
                foreach (var header in request.Headers.NonValidated)
                {
                    foreach (var value in header.Value)
                    {
                        Written += header.Key.Length + value.Length;
                    }
                }
            }

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

    /// <summary>A handler that only passes the request on.</summary>
    private sealed class PassThroughHandler : DelegatingHandler;

    /// <summary>Gives every request the same prompt, as the circuit resolver gives one circuit's requests its dialog.</summary>
    private sealed class FixedResolver(IReverificationPrompt prompt) : IReverificationPromptResolver
    {
        public IReverificationPrompt? Resolve() => prompt;
    }

    /// <summary>Never called: no request here needs reverification.</summary>
    private sealed class NeverPrompt : IReverificationPrompt
    {
        public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
            => throw new InvalidOperationException("No request in this benchmark needs reverification.");
    }
}
