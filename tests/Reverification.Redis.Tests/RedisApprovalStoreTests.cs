using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Tests.Infrastructure;
using Reverification.Redis.Internal;
using static Reverification.AspNetCore.Tests.Infrastructure.ApprovalClient;

namespace Reverification.Redis.Tests;

/// <summary>The Redis store on a real redis-server: the store's contract, and two app instances sharing it.</summary>
[Collection(RedisTests.Name)]
public class RedisApprovalStoreTests(RedisServerFixture redis)
{
    private const string Body = "{\"amount\":\"900.00\",\"payee\":\"Carol\"}";

    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    private Task<TestApp> StartAppAsync(string? address = null)
        => TestApp.StartAsync(
            app => app.MapPost("/pay", async (HttpRequest request) => "paid:" + await new StreamReader(request.Body).ReadToEndAsync())
                .RequireApproval("strict", "Pay 900.00 EUR to Carol"),
            services: s => s.AddRedisApprovalStore(o =>
            {
                o.Configuration = (address ?? redis.Address) + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";
                o.KeyPrefix = _prefix;
            }));

    private RedisApprovalStore CreateStore(TimeProvider time)
        => new(Options.Create(new RedisApprovalStoreOptions { Configuration = redis.Address, KeyPrefix = _prefix }), new ServiceCollection().BuildServiceProvider(), time);

    private static ReverificationApproval Approval(TimeProvider time, string? summary = "Pay") => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Subject = "user-1",
        Digest = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        Factors = ReverificationFactors.SecondFactor,
        ExpiresAt = time.GetUtcNow().AddMinutes(5),
        Summary = summary,
    };

    [Fact]
    public async Task Store_RoundTrip_PendingApprovedConsumedOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = CreateStore(time);
        var approval = Approval(time, summary: "Send 25.00 EUR to Carol ✓");
        await store.AddAsync(approval, default);

        var found = await store.FindAsync(approval.Id, default);
        Assert.NotNull(found);
        Assert.False(found.IsApproved);
        Assert.Equal("user-1", found.Subject);
        Assert.Equal(approval.Digest.ToArray(), found.Digest.ToArray());
        Assert.Equal(ReverificationFactors.SecondFactor, found.Factors);
        Assert.Equal("Send 25.00 EUR to Carol ✓", found.Summary);
        Assert.Equal(approval.ExpiresAt.ToUnixTimeMilliseconds(), found.ExpiresAt.ToUnixTimeMilliseconds());

        Assert.Null(await store.ConsumeAsync(approval.Id, default));
        Assert.True(await store.ApproveAsync(approval.Id, default));
        Assert.False(await store.ApproveAsync(approval.Id, default));
        var consumed = await store.ConsumeAsync(approval.Id, default);
        Assert.NotNull(consumed);
        Assert.True(consumed.IsApproved);
        Assert.Null(await store.ConsumeAsync(approval.Id, default));
        Assert.Null(await store.FindAsync(approval.Id, default));
    }

    [Fact]
    public async Task Store_ExpiredByTheAppsClock_IsNeitherFoundApprovedNorConsumed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = CreateStore(time);
        var approval = Approval(time, summary: null);
        await store.AddAsync(approval, default);
        Assert.Null((await store.FindAsync(approval.Id, default))!.Summary);
        Assert.True(await store.ApproveAsync(approval.Id, default));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await store.FindAsync(approval.Id, default));
        Assert.Null(await store.ConsumeAsync(approval.Id, default));
    }

    [Fact]
    public async Task Store_KeyExpiresInRedisWithTheApproval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = CreateStore(time);
        var approval = Approval(time);
        await store.AddAsync(approval, default);

        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Address);
        var database = connection.GetDatabase();
        var ttl = await database.KeyTimeToLiveAsync(_prefix + "{" + approval.Id + "}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        // Approving writes the key the retry consumes, with the approval's remaining TTL.
        Assert.True(await store.ApproveAsync(approval.Id, default));
        var approvedTtl = await database.KeyTimeToLiveAsync(_prefix + "{" + approval.Id + "}:a");
        Assert.NotNull(approvedTtl);
        Assert.InRange(approvedTtl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.NotNull(await store.ConsumeAsync(approval.Id, default));
        Assert.False(await database.KeyExistsAsync(_prefix + "{" + approval.Id + "}:a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("13:1700000000000")]
    [InlineData("13:1700000000000 6:user-11:22:ab0:")]
    [InlineData("13:17000000000006:user-11:42:ab0:")]
    [InlineData("13:17000000000006:user-11:22:ab0:x")]
    [InlineData("13:17000000000000:1:22:ab0:")]
    [InlineData("13:1700000000x006:user-11:22:ab0:")]
    [InlineData("99:17000000000006:user-11:22:ab0:")]
    [InlineData("-1:17000000000006:user-11:22:ab0:")]
    [InlineData("13:17000000000006:user-11:22:ab9999999999:")]
    public void Unpack_AnythingButTheApproveScriptsPacking_IsNoApproval(string packed)
        => Assert.Null(RedisApprovalStore.Unpack("id", System.Text.Encoding.UTF8.GetBytes(packed)));

    [Fact]
    public void Unpack_TheApproveScriptsPacking_ReadsEveryField()
    {
        var approval = RedisApprovalStore.Unpack("id", System.Text.Encoding.UTF8.GetBytes("13:17000000000006:user-11:22:ab10:Pay 25 ✓"));
        Assert.NotNull(approval);
        Assert.Equal("user-1", approval.Subject);
        Assert.Equal(ReverificationFactors.SecondFactor, approval.Factors);
        Assert.Equal("ab"u8.ToArray(), approval.Digest.ToArray());
        Assert.Equal(1_700_000_000_000, approval.ExpiresAt.ToUnixTimeMilliseconds());
        Assert.Equal("Pay 25 ✓", approval.Summary);
        Assert.True(approval.IsApproved);
    }

    [Fact]
    public async Task Store_ConcurrentConsumes_ExactlyOneGetsIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = CreateStore(time);
        await using var second = CreateStore(time);
        var approval = Approval(time);
        await first.AddAsync(approval, default);
        Assert.True(await second.ApproveAsync(approval.Id, default));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () => await (i % 2 == 0 ? first : second).ConsumeAsync(approval.Id, default))));
        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task TwoInstances_ApproveOnOne_PassOnTheOther_ReplayRefusedOnEither()
    {
        await using var one = await StartAppAsync();
        await using var two = await StartAppAsync();
        var token = FreshToken(one);

        var (id, summary, _, _) = await ReadApprovalAsync(await PostAsync(one, "/pay", token, Body));
        Assert.Equal("Pay 900.00 EUR to Carol", summary);
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(two, id));

        var retry = await PostAsync(one, "/pay", token, Body, id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("paid:" + Body, await retry.Content.ReadAsStringAsync());

        Assert.NotEqual(id, (await ReadApprovalAsync(await PostAsync(one, "/pay", token, Body, id))).Id);
        Assert.NotEqual(id, (await ReadApprovalAsync(await PostAsync(two, "/pay", token, Body, id))).Id);
    }

    [Fact]
    public async Task TwoInstances_ChangedBodyOrOtherUser_Refused()
    {
        await using var one = await StartAppAsync();
        await using var two = await StartAppAsync();
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(one, "/pay", FreshToken(one), Body));
        Assert.Equal(ReverificationApprovalResult.OtherUser, await ApproveAsync(two, id, subject: "user-2"));
        await ApproveAsync(one, id);

        await ReadApprovalAsync(await PostAsync(two, "/pay", FreshToken(two, "user-2"), Body, id));
        // Burnt by the refused use: the owner's retry is refused too.
        await ReadApprovalAsync(await PostAsync(two, "/pay", FreshToken(two), Body, id));
    }

    [Fact]
    public async Task TwoInstances_FiftyConcurrentRetries_ExactlyOnePasses()
    {
        await using var one = await StartAppAsync();
        await using var two = await StartAppAsync();
        var token = FreshToken(one);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(one, "/pay", token, Body));
        await ApproveAsync(one, id);

        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await PostAsync(i % 2 == 0 ? one : two, "/pay", token, Body, id)).StatusCode;
        })).ToArray();
        start.Set();
        var statuses = await Task.WhenAll(tasks);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task RedisStopped_Gets503_NothingPasses()
    {
        // A server of this test's own, killed mid-test.
        await using var own = await RedisServer.StartAsync();
        await using var app = await StartAppAsync(own.Address);
        var token = FreshToken(app);
        var (id, _, _, _) = await ReadApprovalAsync(await PostAsync(app, "/pay", token, Body));
        Assert.Equal(ReverificationApprovalResult.Approved, await ApproveAsync(app, id));

        own.Kill();

        var retry = await PostAsync(app, "/pay", token, Body, id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, retry.StatusCode);
        Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(app, "/pay", token, Body)).StatusCode);
        Assert.Equal(ReverificationApprovalResult.StoreUnavailable, await ApproveAsync(app, id));
    }

    [Fact]
    public async Task RedisWithoutGetDel_ConsumeFailsWithWhatToUpgrade()
    {
        // A server without GETDEL, as Redis before 6.2 is: the consume fails (the endpoint answers 503), saying why.
        await using var old = await RedisServer.StartAsync("--rename-command", "GETDEL", string.Empty);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = new RedisApprovalStore(Options.Create(new RedisApprovalStoreOptions { Configuration = old.Address, KeyPrefix = _prefix }), new ServiceCollection().BuildServiceProvider(), time);
        var approval = Approval(time);
        await store.AddAsync(approval, default);
        Assert.True(await store.ApproveAsync(approval.Id, default));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.ConsumeAsync(approval.Id, default));
        Assert.Contains("Redis 6.2 or later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_WithoutAnAddress_StopsTheAppWithWhatToSet()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            app => app.MapPost("/pay", () => "paid").RequireApproval("strict"),
            services: s => s.AddRedisApprovalStore(o => o.KeyPrefix = "x:")));
        Assert.Contains("AddRedisApprovalStore(\"localhost:6379\")", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{app}:approval:")]
    [InlineData("approval}:")]
    public async Task Registration_BracesInTheKeyPrefix_StopsTheAppWithWhy(string prefix)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            app => app.MapPost("/pay", () => "paid").RequireApproval("strict"),
            services: s => s.AddRedisApprovalStore(o =>
            {
                o.Configuration = redis.Address;
                o.KeyPrefix = prefix;
            })));
        Assert.Contains("must not contain '{' or '}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_ReplacesTheInMemoryStore_InEitherOrder()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverification();
        services.AddRedisApprovalStore(redis.Address);
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<RedisApprovalStore>(provider.GetRequiredService<IReverificationApprovalStore>());

        var reversed = new ServiceCollection();
        reversed.AddLogging();
        reversed.AddRedisApprovalStore(redis.Address);
        reversed.AddReverification();
        await using var reversedProvider = reversed.BuildServiceProvider();
        Assert.IsType<RedisApprovalStore>(reversedProvider.GetRequiredService<IReverificationApprovalStore>());
    }
}
