using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Reverification.Client.Tests.Infrastructure;

/// <summary>What a request looked like when it reached the inner handler.</summary>
internal sealed record SeenRequest(HttpMethod Method, Uri? Uri, HttpRequestHeaders Headers, byte[]? Body, string? ContentType, HttpRequestOptions Options, Version Version);

/// <summary>The inner handler of the unit tests: answers with a function, records every request it saw.</summary>
internal sealed class FakeInnerHandler(Func<HttpRequestMessage, int, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly List<SeenRequest> _seen = [];
    private int _calls;

    public FakeInnerHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public int Calls => Volatile.Read(ref _calls);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        byte[]? body = null;
        if (request.Content is not null)
        {
            // Read as a server would: by serializing the content to a stream.
            using var stream = new MemoryStream();
            await request.Content.CopyToAsync(stream, cancellationToken);
            body = stream.ToArray();
        }

        lock (_seen)
        {
            // The retry sends the same request object again: record copies of its headers and options as they are now,
            // not the live collections, which a later send may change.
            using var copy = new HttpRequestMessage();
            foreach (var header in request.Headers.NonValidated)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            foreach (var option in request.Options)
            {
                ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
            }

            _seen.Add(new SeenRequest(request.Method, request.RequestUri, copy.Headers, body, request.Content?.Headers.ContentType?.ToString(), copy.Options, request.Version));
        }

        var response = await respond(request, call);
        response.RequestMessage ??= request;
        return response;
    }
}

/// <summary>Answers of the contract, built by hand as a server would send them.</summary>
internal static class Answers
{
    public const string StrictBody = """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""";

    public static HttpResponseMessage Ok(string text = "done") => new(HttpStatusCode.OK) { Content = new StringContent(text) };

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json")
        => new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Reverify(string level = "strict")
        => Json(HttpStatusCode.Forbidden, "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"" + level + "\"}}}");

    public static HttpResponseMessage ReverifyCustom(string factors, string afterMinutes)
        => Json(HttpStatusCode.Forbidden, "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":{\"level\":\"" + factors + "\",\"afterMinutes\":" + afterMinutes + "}}}}");

    public static HttpResponseMessage Challenge(HttpStatusCode status, string parameters, HttpContent? content = null)
    {
        var response = new HttpResponseMessage(status) { Content = content };
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", parameters));
        return response;
    }
}
