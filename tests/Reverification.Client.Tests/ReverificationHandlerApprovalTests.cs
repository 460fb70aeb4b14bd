using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Client.Internal;
using Reverification.Client.Tests.Infrastructure;
using static Reverification.Client.Tests.Infrastructure.HandlerClient;

namespace Reverification.Client.Tests;

/// <summary>
/// One-time approvals on the client: the challenge carries the approval, the prompt gets it, the single retry carries
/// <c>Reverification-Approval</c> with that id only, a refused retry is returned as it is, and hostile values are
/// refused or bounded.
/// </summary>
public sealed class ReverificationHandlerApprovalTests
{
    private const string Header = "Reverification-Approval";
    private const string Id = "q3R0aXN0aGVpZG9mYW5hcHByb3ZhbDE2";

    private static string Answer(string approvalJson)
        => "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict\",\"approval\":" + approvalJson + "}}}";

    private static ReverificationChallengeApproval? Parse(string approvalJson)
    {
        Assert.True(ReverificationChallenge.TryParse(Answer(approvalJson), out var challenge));
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal("strict", challenge.LevelName);
        return challenge.Approval;
    }

    private static Task<ApiServer> StartAsync()
        => ApiServer.StartAsync(map: app =>
        {
            app.MapPost("/pay", async (HttpRequest request) => "paid:" + await new StreamReader(request.Body).ReadToEndAsync())
                .RequireApproval("strict", "Pay 25.00 EUR to Carol");
        });

    [Fact]
    public void Parse_WellFormed_ReadsIdSummaryAndLifetime()
    {
        var approval = Parse($"{{\"id\":\"{Id}\",\"summary\":\"Send 25.00 EUR to Carol\",\"expiresIn\":300}}");
        Assert.NotNull(approval);
        Assert.Equal(Id, approval.Id);
        Assert.Equal("Send 25.00 EUR to Carol", approval.Summary);
        Assert.Equal(TimeSpan.FromMinutes(5), approval.ExpiresIn);
    }

    [Fact]
    public void Parse_NoApproval_IsAbsent_AndThePresetIsShared()
    {
        Assert.True(ReverificationChallenge.TryParse("{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict\"}}}", out var challenge));
        Assert.Null(challenge.Approval);
        Assert.Same(ReverificationChallenge.Strict, challenge);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"id\"")]
    [InlineData("{}")]
    [InlineData("{\"id\":42}")]
    [InlineData("{\"id\":\"\"}")]
    [InlineData("{\"id\":\"has/slash\"}")]
    [InlineData("{\"id\":\"has space\"}")]
    [InlineData("{\"id\":\"é\"}")]
    public void Parse_HostileOrMissingId_ApprovalIsAbsent_TheAnswerStillCounts(string approval)
        => Assert.Null(Parse(approval));

    [Fact]
    public void Parse_IdOver128Characters_IsAbsent()
    {
        Assert.NotNull(Parse($"{{\"id\":\"{new string('a', 128)}\"}}"));
        Assert.Null(Parse($"{{\"id\":\"{new string('a', 129)}\"}}"));
    }

    [Fact]
    public void Parse_HugeSummary_IsCutTo500Characters()
    {
        var approval = Parse($"{{\"id\":\"{Id}\",\"summary\":\"{new string('x', 100_000)}\"}}");
        Assert.Equal(500, approval!.Summary!.Length);
    }

    [Fact]
    public void Parse_SummaryControlAndBidiCharacters_BecomeSpaces()
    {
        var approval = Parse($"{{\"id\":\"{Id}\",\"summary\":\"Pay\\n10 EUR\\u202Eto\\u0000Carol\\t\"}}");
        Assert.Equal("Pay 10 EUR to Carol", approval!.Summary);
    }

    [Theory]
    [InlineData("{\"summary\":null}", null)]
    [InlineData("{\"summary\":42}", null)]
    [InlineData("{\"summary\":\"   \"}", null)]
    public void Parse_SummaryNotText_IsNull(string extra, string? expected)
    {
        var json = $"{{\"id\":\"{Id}\"," + extra.TrimStart('{');
        Assert.Equal(expected, Parse(json)!.Summary);
    }

    [Theory]
    [InlineData("1e300", 86400.0)]
    [InlineData("86401", 86400.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("-5", null)]
    [InlineData("0", null)]
    [InlineData("\"300\"", null)]
    [InlineData("1e400", null)]
    public void Parse_Lifetime_IsBounded(string value, double? expectedSeconds)
    {
        var approval = Parse($"{{\"id\":\"{Id}\",\"expiresIn\":{value}}}");
        Assert.Equal(expectedSeconds is { } s ? TimeSpan.FromSeconds(s) : null, approval!.ExpiresIn);
    }

    [Fact]
    public async Task Retry_CarriesTheChallengesIdOnly_ReplacingTheRequestsOwn()
    {
        var inner = new FakeInnerHandler((_, call) => Task.FromResult(call == 1
            ? new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent(Answer($"{{\"id\":\"{Id}\",\"summary\":\"Pay\"}}"), Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.OK)));
        var prompt = new FakePrompt { AutoAnswer = true };
        using var client = CreateClient(prompt, inner);
        using var request = new HttpRequestMessage(HttpMethod.Post, "pay") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation(Header, "the-apps-own");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["the-apps-own"], inner.Seen[0].Headers.GetValues(Header));
        Assert.Equal([Id], inner.Seen[1].Headers.GetValues(Header));
        Assert.Equal("Pay", Assert.Single(prompt.Challenges).Approval!.Summary);
    }

    [Fact]
    public async Task Retry_WithoutAnApproval_AddsNoHeader()
    {
        var inner = new FakeInnerHandler((_, call) => Task.FromResult(call == 1
            ? new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent(Answer($"{{\"id\":\"bad/id\"}}")) }
            : new HttpResponseMessage(HttpStatusCode.OK)));
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, inner);

        using var response = await client.PostAsync("pay", new StringContent("{}"));

        Assert.Equal(2, inner.Calls);
        Assert.False(inner.Seen[1].Headers.Contains(Header));
    }

    [Fact]
    public async Task Server_ApprovedByThePrompt_RetryPassesOnce()
    {
        await using var server = await StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 0, secondFactorMinutesAgo: 0);
        var prompt = new ApprovingPrompt(server, approve: true);
        using var client = server.CreateClient(prompt);

        using var response = await client.PostAsync("pay", new StringContent("{\"amount\":\"25.00\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("paid:{\"amount\":\"25.00\"}", await response.Content.ReadAsStringAsync());
        var challenge = Assert.Single(prompt.Challenges);
        Assert.Equal("Pay 25.00 EUR to Carol", challenge.Approval!.Summary);
        Assert.Equal(TimeSpan.FromMinutes(5), challenge.Approval.ExpiresIn);
    }

    [Fact]
    public async Task Server_PromptDidNotApprove_RefusedRetryReturnedAsIs_NoLoop()
    {
        await using var server = await StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 0, secondFactorMinutesAgo: 0);
        var prompt = new ApprovingPrompt(server, approve: false);
        using var client = server.CreateClient(prompt);

        using var response = await client.PostAsync("pay", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refused = await ReverificationChallenge.FromResponseAsync(response);
        Assert.NotNull(refused?.Approval);
        Assert.NotEqual(Assert.Single(prompt.Challenges).Approval!.Id, refused.Approval.Id);
    }

    [Fact]
    public async Task Server_ConcurrentApprovals_EachGetsItsOwnPrompt()
    {
        await using var server = await StartAsync();
        server.Token = server.CreateToken(firstFactorMinutesAgo: 0, secondFactorMinutesAgo: 0);
        var prompt = new ApprovingPrompt(server, approve: true);
        using var client = server.CreateClient(prompt);

        var responses = await Task.WhenAll(
            client.PostAsync("pay", new StringContent("{\"n\":1}", Encoding.UTF8, "application/json")),
            client.PostAsync("pay", new StringContent("{\"n\":2}", Encoding.UTF8, "application/json")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(2, prompt.Challenges.Select(c => c.Approval!.Id).Distinct().Count());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public void Covers_ApprovalsAreNeverShared()
    {
        var approval = ReverificationChallenge.StrictMfa.WithApproval(new ReverificationChallengeApproval(Id, null, null));
        Assert.False(PromptCoordinator.Covers(approval, ReverificationChallenge.Strict));
        Assert.False(PromptCoordinator.Covers(ReverificationChallenge.StrictMfa, approval));
        Assert.True(PromptCoordinator.Covers(ReverificationChallenge.StrictMfa, ReverificationChallenge.Strict));
    }

    /// <summary>A prompt that approves as the app's own verification would: through the server's recorder.</summary>
    private sealed class ApprovingPrompt(ApiServer server, bool approve) : IReverificationPrompt
    {
        private readonly List<ReverificationChallenge> _challenges = [];

        public IReadOnlyList<ReverificationChallenge> Challenges
        {
            get
            {
                lock (_challenges)
                {
                    return [.. _challenges];
                }
            }
        }

        public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            lock (_challenges)
            {
                _challenges.Add(challenge);
            }

            if (approve && challenge.Approval is { } approval)
            {
                var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-1")], "test"));
                var result = await server.App.Services.GetRequiredService<ReverificationRecorder>()
                    .ApproveAsync(user, approval.Id, AspNetCore.ReverificationFactors.SecondFactor, cancellationToken);
                Assert.Equal(ReverificationApprovalResult.Approved, result);
            }

            return true;
        }
    }
}
