using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reverification.AspNetCore.Tests.Infrastructure;
using static Reverification.AspNetCore.Tests.Infrastructure.ApprovalClient;

namespace Reverification.AspNetCore.Tests.Approvals;

/// <summary>One-time approvals on a real app: TestServer, real JwtBearer, signed tokens, the in-memory store.</summary>
public class ApprovalIntegrationTests
{
    private const string PayBody = "{\"amount\":\"25.00\",\"currency\":\"EUR\",\"payee\":\"Carol\",\"note\":\"rent\"}";

    internal static Task<TestApp> StartAsync(Action<ReverificationOptions>? configure = null, Action<IServiceCollection>? services = null)
        => TestApp.StartAsync(app =>
        {
            // The handler reads the body after authorization: the approved bytes are the ones it sees.
            app.MapPost("/pay", async (HttpRequest request) => "paid:" + await new StreamReader(request.Body).ReadToEndAsync())
                .RequireApproval("strict", "Pay the invoice");
            app.MapPost("/transfer", (TransferRequest transfer) => $"sent {transfer.Amount} {transfer.Currency} to {transfer.Payee} ({transfer.Note})")
                .RequireApproval(
                    "strict",
                    summary: context => context.TryGetField("amount", out var amount) && context.TryGetField("payee", out var payee)
                        ? $"Send {amount} EUR to {payee}"
                        : null,
                    "amount",
                    "payee");
            app.MapGet("/export", () => "exported").RequireApproval("lax");
            app.MapPost("/plain", () => "done").RequireReverification("strict");
        }, configure, services);

    [Fact]
    public async Task FirstCall_FreshVerification_GetsTheAnswerWithANewApproval()
    {
        await using var app = await StartAsync();
        var response = await PostAsync(app, "/pay", FreshToken(app), PayBody);

        var (id, summary, expiresIn, level) = await ReadApprovalAsync(response);
        Assert.Equal("strict", level);
        Assert.Equal("Pay the invoice", summary);
        Assert.Equal(300, expiresIn);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", id);
        Assert.Equal(Answer.Challenge(600), Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstCall_IdsAreNewEachTime()
    {
        await using var app = await StartAsync();
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody))).Id);
        }

        Assert.Equal(20, ids.Count);
    }

    [Fact]
    public async Task Retry_Approved_PassesOnce_ThenAReplayGetsANewApproval()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id));

        var retry = await PostAsync(app, "/pay", token, PayBody, id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("paid:" + PayBody, await retry.Content.ReadAsStringAsync());

        var replay = await PostAsync(app, "/pay", token, PayBody, id);
        var (fresh, _, _, _) = await ReadApprovalAsync(replay);
        Assert.NotEqual(id, fresh);
    }

    [Fact]
    public async Task Retry_NotApproved_IsRefused()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));

        var (next, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody, id));
        Assert.NotEqual(id, next);

        // Still pending: approving it later lets it pass once.
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, "/pay", token, PayBody, id)).StatusCode);
    }

    [Fact]
    public async Task Retry_BodyChanged_IsRefused_AndTheApprovalIsBurnt()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);

        await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody.Replace("25.00", "2500.00", StringComparison.Ordinal), id));
        await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody, id));
    }

    [Theory]
    [InlineData("/pay?to=mallory")]
    [InlineData("/Pay")]
    public async Task Retry_PathOrQueryChanged_IsRefused(string path)
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);
        await ReadApprovalAsync(await PostAsync(app, path, token, PayBody, id));
    }

    [Fact]
    public async Task NamedFields_SummaryFromFields_OtherFieldsFree()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, summary, _, _) = await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody));
        Assert.Equal("Send 25.00 EUR to Carol", summary);
        await ApproveAsync(app, id);

        // The note and the order of the fields are not bound.
        var retry = await PostAsync(app, "/transfer", token, "{\"payee\":\"Carol\",\"note\":\"changed\",\"currency\":\"EUR\",\"amount\":\"25.00\"}", id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("sent 25.00 EUR to Carol (changed)", await retry.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"amount\":\"2500.00\",\"currency\":\"EUR\",\"payee\":\"Carol\"}")]
    [InlineData("{\"amount\":\"25.00\",\"currency\":\"EUR\",\"payee\":\"Mallory\"}")]
    [InlineData("{\"amount\":25.00,\"currency\":\"EUR\",\"payee\":\"Carol\"}")]
    public async Task NamedFields_BoundFieldChanged_IsRefused(string changed)
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody));
        await ApproveAsync(app, id);
        await ReadApprovalAsync(await PostAsync(app, "/transfer", token, changed, id));
    }

    [Fact]
    public async Task NamedFields_BoundFieldRemoved_Gets400_AndTheApprovalIsBurnt()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody));
        await ApproveAsync(app, id);

        // Without the payee the summary cannot describe the request: 400 and no new approval; the presented approval
        // did not match, so it is burnt (as for any other change) and the original request needs a new one.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(app, "/transfer", token, "{\"amount\":\"25.00\",\"currency\":\"EUR\"}", id)).StatusCode);
        await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody, id));
    }

    [Theory]
    [InlineData("{\"amount\":\"25.00\",\"Amount\":\"2500.00\",\"payee\":\"Carol\"}")]
    [InlineData("{\"amount\":\"25.00\",\"amount\":\"2500.00\",\"payee\":\"Carol\"}")]
    [InlineData("{\"amount\":\"25.00\",\"payee\":{\"iban\":\"A\",\"iban\":\"B\"}}")]
    [InlineData("{\"amount\":\"25.00\",\"payee\":\"\\uD800\"}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public async Task NamedFields_AmbiguousOrNotAnObject_Gets400(string body)
    {
        await using var app = await StartAsync();
        var response = await PostAsync(app, "/transfer", FreshToken(app), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NamedFields_UnreadableString_Gets400_AndTheNextDigestOnTheThreadIsIntact()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody));
        await ApproveAsync(app, id);

        // A body whose bound field cannot be read, digested on the same thread just before the retry's.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(app, "/transfer", token, "{\"amount\":\"1\",\"payee\":\"\\uD800\"}")).StatusCode);
        }

        var response = await PostAsync(app, "/transfer", token, PayBody, id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"amount\":\"25.00\"}")]
    [InlineData("{\"payee\":\"Carol\"}")]
    public async Task SummaryFactory_CannotDescribeTheRequest_Gets400_NoApproval(string body)
    {
        await using var app = await StartAsync();
        var response = await PostAsync(app, "/transfer", FreshToken(app), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("approval", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedFields_DuplicateInTheRetry_Gets400_NeverAPass()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/transfer", token, PayBody));
        await ApproveAsync(app, id);
        var response = await PostAsync(app, "/transfer", token, "{\"amount\":\"25.00\",\"payee\":\"Carol\",\"Payee\":\"Mallory\"}", id);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AnotherUsersApproval_IsRefused_BothToApproveAndToUse()
    {
        await using var app = await StartAsync();
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app, "user-1"), PayBody));

        Assert.Equal(ReverificationApprovalResult.OtherUser, await ApproveAsync(app, id, subject: "user-2"));
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id, subject: "user-1"));

        // User 2 presents user 1's approved id with the same body: refused, with an approval of their own.
        var (other, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app, "user-2"), PayBody, id));
        Assert.NotEqual(id, other);
    }

    [Fact]
    public async Task Expired_ApprovedButTooLate_IsRefused()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody, id));
    }

    [Fact]
    public async Task Expired_PendingCannotBeApproved()
    {
        await using var app = await StartAsync(o => o.ApprovalLifetime = TimeSpan.FromMinutes(1));
        var token = FreshToken(app);
        var (id, _, expiresIn, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        Assert.Equal(60, expiresIn);
        app.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(ReverificationApprovalResult.NotFound, await ApproveAsync(app, id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA, AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Header_UnknownOrGarbage_GetsANewApproval(string header)
    {
        await using var app = await StartAsync();
        await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody, header));
    }

    [Fact]
    public async Task Header_Oversized_GetsANewApproval()
    {
        await using var app = await StartAsync();
        await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody, new string('A', 8000)));
    }

    [Fact]
    public async Task Header_TwiceWithTheApprovedId_IsRefused()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);
        var response = await app.SendAsync(HttpMethod.Post, "/pay", token, Json(PayBody), r =>
        {
            r.Headers.TryAddWithoutValidation(Header, id);
            r.Headers.TryAddWithoutValidation(Header, id);
        });
        await ReadApprovalAsync(response);
    }

    [Fact]
    public async Task Concurrent_FiftyRetriesWithOneId_ExactlyOnePasses()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);

        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return (await PostAsync(app, "/pay", token, PayBody, id)).StatusCode;
        })).ToArray();
        start.Set();
        var statuses = await Task.WhenAll(tasks);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Anonymous_GetsTheNormalChallenge()
    {
        await using var app = await StartAsync();
        var response = await app.SendAsync(HttpMethod.Post, "/pay", null, Json(PayBody));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("approval", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSubject_IsRefusedWithoutAnApproval()
    {
        await using var app = await StartAsync();
        var claims = TestTokens.Timestamps(app.Time.GetUtcNow(), 0, 0);
        claims["sub"] = string.Empty;
        var response = await PostAsync(app, "/pay", app.Token(claims), PayBody);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("\"approval\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyTooLarge_Gets413()
    {
        await using var app = await StartAsync(o => o.ApprovalMaxBodyBytes = 1024);
        var response = await PostAsync(app, "/pay", FreshToken(app), "{\"x\":\"" + new string('a', 2000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1024", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyTooLarge_Chunked_Gets413()
    {
        await using var app = await StartAsync(o => o.ApprovalMaxBodyBytes = 1024);
        var content = new StreamContent(new MemoryStream(new byte[5000]));
        content.Headers.ContentType = new("application/json");
        var response = await app.SendAsync(HttpMethod.Post, "/pay", FreshToken(app), content, r => r.Headers.TransferEncodingChunked = true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ChunkedBodyOfSeveralBuffers_IsBoundAndReachesTheEndpointWhole()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var body = "{\"note\":\"" + string.Concat(Enumerable.Range(0, 3000).Select(i => (char)('a' + (i % 26)))) + new string('z', 17_000) + "\"}";
        HttpContent Chunked(string text)
        {
            var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
            content.Headers.ContentType = new("application/json");
            return content;
        }

        var (id, _, _, _) = await ReadApprovalAsync(await app.SendAsync(HttpMethod.Post, "/pay", token, Chunked(body), r => r.Headers.TransferEncodingChunked = true));
        await ApproveAsync(app, id);

        // The same bytes, sent with a Content-Length this time: the digest is of the bytes, not of the framing.
        var retry = await PostAsync(app, "/pay", token, body, id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("paid:" + body, await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WithoutBody_ApprovesAndPassesOnce()
    {
        await using var app = await StartAsync();
        var token = FreshToken(app);
        var (id, summary, _, level) = await ReadApprovalAsync(await app.SendAsync(HttpMethod.Get, "/export", token));
        Assert.Null(summary);
        Assert.Equal("lax", level);
        await ApproveAsync(app, id);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "/export", token, configure: r => r.Headers.Add(Header, id))).StatusCode);
        await ReadApprovalAsync(await app.SendAsync(HttpMethod.Get, "/export", token, configure: r => r.Headers.Add(Header, id)));
    }

    [Fact]
    public async Task PlainReverification_IgnoresTheApprovalHeader()
    {
        await using var app = await StartAsync();
        var stale = app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30));
        var response = await app.SendAsync(HttpMethod.Post, "/plain", stale, configure: r => r.Headers.Add(Header, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        await Answer.AssertReverificationAsync(response, Answer.Body("strict"), 600);
    }

    [Fact]
    public async Task StoreUnavailable_Gets503_NothingPasses()
    {
        var store = new SwitchableStore();
        await using var app = await StartAsync(services: s => s.AddSingleton<IReverificationApprovalStore>(_ => store.Bind(s)));
        store.Inner = new Internal.InMemoryApprovalStore(app.Time);
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, PayBody));
        await ApproveAsync(app, id);

        store.Down = true;
        var first = await PostAsync(app, "/pay", token, PayBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(app, "/pay", token, PayBody, id)).StatusCode);
        Assert.Equal(ReverificationApprovalResult.StoreUnavailable, await ApproveAsync(app, id));

        // Back up: the approval was never consumed, so it passes once.
        store.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, "/pay", token, PayBody, id)).StatusCode);
    }

    [Fact]
    public async Task Approve_InsufficientFactors_IsRefused()
    {
        await using var app = await StartAsync();
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody));
        Assert.Equal(ReverificationApprovalResult.InsufficientFactors, await ApproveAsync(app, id, ReverificationFactors.FirstFactor));
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id, ReverificationFactors.SecondFactor));
        Assert.Equal(ReverificationApprovalResult.NotFound, await ApproveAsync(app, id, ReverificationFactors.SecondFactor));
    }

    [Fact]
    public async Task OnRejected_SeesTheApproval_AndTheDefaultBodyCarriesIt()
    {
        string? seen = null;
        await using var app = await StartAsync(o => o.OnRejected = async (context, ct) =>
        {
            seen = context.Approval?.Id;
            await context.WriteDefaultBodyAsync(ct);
        });
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", FreshToken(app), PayBody));
        Assert.Equal(id, seen);
    }

    [Fact]
    public async Task UnknownLevel_StopsTheAppAtStartUp()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(app => app.MapPost("/x", () => "x").RequireApproval("stric")));
        Assert.Contains("one-time approval at level 'stric'", error.Message, StringComparison.Ordinal);
    }

    internal sealed record TransferRequest(string Amount, string Currency, string Payee, string? Note);

    /// <summary>A store that can be taken down, as a Redis that stops answering.</summary>
    private sealed class SwitchableStore : IReverificationApprovalStore
    {
        public IReverificationApprovalStore Inner { get; set; } = null!;

        public bool Down { get; set; }

        public SwitchableStore Bind(IServiceCollection services) => this;

        public ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken) => Up().AddAsync(approval, cancellationToken);

        public ValueTask<ReverificationApproval?> FindAsync(string id, CancellationToken cancellationToken) => Up().FindAsync(id, cancellationToken);

        public ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken) => Up().ApproveAsync(id, cancellationToken);

        public ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken) => Up().ConsumeAsync(id, cancellationToken);

        private IReverificationApprovalStore Up() => Down ? throw new TimeoutException("The store does not answer.") : Inner;
    }
}
