using System.Net;
using System.Net.Http.Json;
using System.Text;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>The request body: buffered and sent again on the retry when that is safe, and a clear error when it is not.</summary>
public sealed class ReverificationHandlerBodyReplayTests
{
    [Fact]
    public async Task SendAsync_PostWithStringBody_ReplaysBodyHeadersAndOptions()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var key = new HttpRequestOptionsKey<string>("trace");
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer")
        {
            Content = new StringContent("""{"amount":42}""", Encoding.UTF8, "application/json"),
            Version = HttpVersion.Version20,
        };
        request.Headers.Add("X-Request-Id", "r-1");
        request.Options.Set(key, "t-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        var retry = api.Handler.Seen[1];
        Assert.Equal(HttpMethod.Post, retry.Method);
        Assert.Equal("""{"amount":42}""", Encoding.UTF8.GetString(retry.Body!));
        Assert.Equal("application/json; charset=utf-8", retry.ContentType);
        Assert.Equal("r-1", Assert.Single(retry.Headers.GetValues("X-Request-Id")));
        Assert.True(retry.Options.TryGetValue(key, out var trace));
        Assert.Equal("t-1", trace);
        Assert.Equal(HttpVersion.Version20, retry.Version);
        Assert.Equal(api.Handler.Seen[0].Body, retry.Body);
    }

    [Theory]
    [InlineData(3)] // Shorter than the body: the copy of that length cannot hold it.
    [InlineData(100)] // Longer: the copy would end in zeros.
    public async Task SendAsync_InMemoryBodyWithWrongContentLength_RetrySendsTheBytesTheFirstSendSent(long contentLength)
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var content = new StringContent("amount=42");
        content.Headers.ContentLength = contentLength;

        using var response = await client.PostAsync("transfer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal("amount=42", Encoding.UTF8.GetString(api.Handler.Seen[0].Body!));
        Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
    }

    [Fact]
    public async Task SendAsync_PostWithJsonContent_ReplaysSerializedBody()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);

        using var response = await client.PostAsJsonAsync("transfer", new { amount = 42, to = "bob" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal("""{"amount":42,"to":"bob"}""", Encoding.UTF8.GetString(api.Handler.Seen[1].Body!));
        Assert.StartsWith("application/json", api.Handler.Seen[1].ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BodyFromSeekableStream_IsReplayed()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        using var response = await client.PostAsync("upload", new StreamContent(new MemoryStream(bytes)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, api.Handler.Seen[1].Body);
    }

    [Fact]
    public async Task SendAsync_NonSeekableStreamBody_ClearErrorWithoutPromptAndFirstSendIntact()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var bytes = Encoding.UTF8.GetBytes("a large upload");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.PostAsync("upload", new StreamContent(new NonSeekableStream(bytes))));

        Assert.Contains("cannot be sent again", exception.Message, StringComparison.Ordinal);
        Assert.Contains("strict", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(bytes, Assert.Single(api.Handler.Seen).Body);
    }

    [Fact]
    public async Task SendAsync_BodyLargerThanLimit_ClearErrorWithoutPrompt()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler, new ReverificationHandlerOptions { MaxReplayableContentBytes = 1024 });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("upload", new ByteArrayContent(new byte[2048])));

        Assert.Contains("MaxReplayableContentBytes", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.Equal(2048, Assert.Single(api.Handler.Seen).Body!.Length);
    }

    [Fact]
    public async Task SendAsync_BodyOfUnknownLengthOverLimit_SentOnceThenClearError()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler, new ReverificationHandlerOptions { MaxReplayableContentBytes = 16 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsJsonAsync("transfer", new { note = new string('x', 100) }));

        Assert.Equal(0, prompt.Calls);
        Assert.Contains("xxxxxxxx", Encoding.UTF8.GetString(Assert.Single(api.Handler.Seen).Body!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LargeBodyThatNeedsNoReverification_PassesThrough()
    {
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Ok());
        using var client = CreateClient(prompt, inner, new ReverificationHandlerOptions { MaxReplayableContentBytes = 16 });
        var bytes = new byte[100];

        using var response = await client.PostAsync("upload", new StreamContent(new NonSeekableStream(bytes)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, Assert.Single(inner.Seen).Body!.Length);
    }

    [Fact]
    public async Task SendAsync_MultipartOverNonSeekableStreamLargerThanLimit_PassesThroughUntouched()
    {
        // IBrowserFile.OpenReadStream in a MultipartFormDataContent: a one-shot stream of unknown length, over 1 MiB.
        var prompt = new FakePrompt { AutoAnswer = true };
        var inner = new FakeInnerHandler(_ => Answers.Ok());
        using var client = CreateClient(prompt, inner);
        var file = Enumerable.Range(0, (int)ReverificationHandlerOptions.DefaultMaxReplayableContentBytes + 512 * 1024).Select(i => (byte)(i % 251)).ToArray();
        using var form = new MultipartFormDataContent { { new StringContent("holiday"), "title" }, { new StreamContent(new NonSeekableStream(file)), "file", "photo.jpg" } };

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Assert.Single(inner.Seen).Body!;
        Assert.True(body.AsSpan().IndexOf(file) >= 0, "The file did not arrive whole.");
        Assert.Equal(0, prompt.Calls);
    }

    [Fact]
    public async Task SendAsync_MultipartOverNonSeekableStreamNeedsReverification_ClearErrorWithoutPromptAndFirstSendIntact()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var file = Encoding.UTF8.GetBytes("a small upload, but from a stream that can be read once");
        using var form = new MultipartFormDataContent { { new StreamContent(new NonSeekableStream(file)), "file", "notes.txt" } };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.PostAsync("upload", form));

        Assert.Contains("cannot be sent again", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MultipartFormDataContent", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, prompt.Calls);
        Assert.True(Assert.Single(api.Handler.Seen).Body.AsSpan().IndexOf(file) >= 0);
    }

    [Fact]
    public async Task SendAsync_MultipartOfReplayablePartsOfUnknownLength_ReplayedOnRetry()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("holiday"), "title" },
            { JsonContent.Create(new { amount = 42 }), "meta" }, // Unknown length: the multipart's length is unknown too.
            { new MultipartContent("mixed") { new ByteArrayContent([1, 2, 3]), new ReadOnlyMemoryContent(new byte[] { 4, 5 }) } },
        };
        Assert.Null(form.Headers.ContentLength);

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
        Assert.Contains("{\"amount\":42}", Encoding.UTF8.GetString(api.Handler.Seen[1].Body!), StringComparison.Ordinal);
        Assert.Equal(api.Handler.Seen[0].ContentType, api.Handler.Seen[1].ContentType);
    }

    [Fact]
    public async Task SendAsync_MultipartWithSeekableStreamPart_ReplayedOnRetry()
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        byte[] file = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        using var form = new MultipartFormDataContent { { new StringContent("holiday"), "title" }, { new StreamContent(new MemoryStream(file)), "file", "a.bin" } };

        using var response = await client.PostAsync("upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Seen.Count);
        Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
        Assert.True(api.Handler.Seen[1].Body.AsSpan().IndexOf(file) >= 0);
    }

    [Fact]
    public async Task SendAsync_RetriedBody_RetryIsTheCallersRequestAndContentNeverDisposed()
    {
        // The retry sends the caller's own request again (as Microsoft.Extensions.Http.Resilience's retry does) instead of
        // a new request with a copy of the body: the answer's RequestMessage is the caller's request, and the content
        // (of a type the handler buffers in place) writes the same bytes again. It stays the caller's: never disposed.
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        var body = new TrackingContent(Encoding.UTF8.GetBytes("amount=42"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer") { Content = body };

        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Same(request, response.RequestMessage);
            Assert.Same(body, response.RequestMessage!.Content);
            Assert.Equal("amount=42", Encoding.UTF8.GetString(api.Handler.Seen[0].Body!));
            Assert.Equal(api.Handler.Seen[0].Body, api.Handler.Seen[1].Body);
        }

        Assert.False(body.Disposed);
        Assert.Equal("amount=42", await body.ReadAsStringAsync()); // Still the caller's to use.
        Assert.Equal(2, api.Handler.Calls);
    }

    public static TheoryData<string> InMemoryBodies => ["bytes", "string", "memory", "multipart"];

    [Theory]
    [MemberData(nameof(InMemoryBodies))]
    public async Task SendAsync_RetriedInMemoryBody_SameBytesAndHeadersAndDisposingTheAnswerLeavesCallerContent(string kind)
    {
        var api = new StepUpApi();
        var prompt = new FakePrompt { AutoAnswer = true, OnVerified = () => api.Fresh = true };
        using var client = CreateClient(prompt, api.Handler);
        byte[] bytes = [.. Enumerable.Range(0, 300).Select(i => (byte)('a' + (i % 26)))];
        HttpContent content = kind switch
        {
            "bytes" => new ByteArrayContent(bytes) { Headers = { ContentType = new("application/octet-stream") } },
            "string" => new StringContent(Encoding.ASCII.GetString(bytes), Encoding.UTF8, "text/plain"),
            "memory" => new ReadOnlyMemoryContent(bytes) { Headers = { ContentType = new("application/octet-stream") } },
            _ => new MultipartFormDataContent { { new StringContent("holiday"), "title" }, { new ByteArrayContent(bytes), "file", "a.bin" } },
        };
        content.Headers.Add("X-Body", "b-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer") { Content = content };
        var expected = await content.ReadAsByteArrayAsync();

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Handler.Calls);
        Assert.Equal(expected, api.Handler.Seen[0].Body);
        Assert.Equal(expected, api.Handler.Seen[1].Body);
        Assert.Equal(api.Handler.Seen[0].ContentType, api.Handler.Seen[1].ContentType);

        // The retry is the caller's request with the caller's content, sent again as it is (no copy, no wrapper): its
        // content headers are those of the first send, and disposing the answer leaves the content to the caller.
        var retry = response.RequestMessage!;
        Assert.Same(request, retry);
        Assert.Same(content, retry.Content);
        Assert.Equal(expected.Length, retry.Content!.Headers.ContentLength);
        Assert.Equal("b-1", Assert.Single(retry.Content.Headers.GetValues("X-Body")));

        response.Dispose();

        Assert.Equal(expected, await content.ReadAsByteArrayAsync()); // Throws ObjectDisposedException if it was disposed.
    }

    [Fact]
    public async Task SendAsync_RetryFails_CallerRequestAndContentNotDisposed()
    {
        // The retry is the caller's own request (no longer a request of the handler's, which it disposed when the retry
        // failed): the handler disposes neither it nor its content, and the exception reaches the caller.
        HttpRequestMessage? retry = null;
        var inner = new FakeInnerHandler((request, call) =>
        {
            if (call == 1)
            {
                return Task.FromResult(Answers.Reverify());
            }

            retry = request;
            throw new HttpRequestException("connection reset");
        });
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, inner);
        var body = new TrackingContent(Encoding.UTF8.GetBytes("amount=42"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "transfer") { Content = body };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Same(request, retry);
        Assert.False(body.Disposed);
        Assert.Equal("amount=42", await body.ReadAsStringAsync());
        Assert.Equal(inner.Seen[0].Body, inner.Seen[1].Body);
    }
}
