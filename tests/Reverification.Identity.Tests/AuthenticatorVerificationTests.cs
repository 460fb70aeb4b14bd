using System.Text.Json;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>POST /reverify/authenticator</c>: the second factor; each code's time step accepted once per user, across the
/// app's sign-in and reverification, on every instance, under concurrency; the window is the current step plus or
/// minus one.
/// </summary>
public class AuthenticatorVerificationTests
{
    public static TheoryData<IdentityTestMode> Modes() => [IdentityTestMode.Cookie, IdentityTestMode.Bearer];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_RightCode_RecordsSecondFactorAndPassesStrict(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));

        var response = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor) });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_CodeUsedAtSignIn_RefusedAsReplayed(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        var code = app.Code(app.TwoFactor);
        using var session = await app.SignInAsync(app.TwoFactor, code);
        // The next time step: the sign-in's code is still inside the window of plus or minus one step.
        app.Time.Advance(TimeSpan.FromSeconds(25));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "authenticator", new { code }));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("replayed", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.TwoFactor));
        // Nothing recorded: the second factor is still the sign-in's, 25 seconds old.
        using var methods = JsonDocument.Parse(await (await session.GetAsync("/reverify/methods")).Content.ReadAsStringAsync());
        Assert.Equal(25, methods.RootElement.GetProperty("secondFactorAgeSeconds").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_CodeUsedForReverification_RefusedAtTheAppsSignIn(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = app.Code(app.TwoFactor);
        Assert.True((await app.ReverifyAsync(session, "authenticator", new { code })).IsSuccessStatusCode);

        using var other = app.CreateSession();
        var signIn = await app.TrySignInAsync(other, app.TwoFactor, code);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_SameCodeTwice_SecondRefusedAsReplayed(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = app.Code(app.TwoFactor);

        var first = await app.ReverifyAsync(session, "authenticator", new { code });
        app.Time.Advance(TimeSpan.FromSeconds(20));
        var second = await app.ReverifyAsync(session, "authenticator", new { code });

        Assert.True(first.IsSuccessStatusCode);
        Assert.Equal("replayed", (await Problem.ReadAsync(second)).Reason);
    }

    [Fact]
    public async Task Authenticator_OlderStepAfterANewerOne_RefusedAsReplayed()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(60));
        var previous = app.Code(app.TwoFactor, steps: -1);
        Assert.True((await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor) })).IsSuccessStatusCode);

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "authenticator", new { code = previous }));

        Assert.Equal("replayed", problem.Reason);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_CodeReplayedOnASecondInstanceSharingTheStore_Refused(IdentityTestMode mode)
    {
        await using var first = await IdentityTestApp.StartAsync(mode);
        await using var second = await IdentityTestApp.StartAsync(mode, database: first.Database, start: first.Time.GetUtcNow());
        using var session = await first.SignInAsync(first.TwoFactor, first.Code(first.TwoFactor));
        first.Time.Advance(TimeSpan.FromSeconds(30));
        second.Time.Advance(TimeSpan.FromSeconds(30));
        var code = first.Code(first.TwoFactor);
        Assert.True((await first.ReverifyAsync(session, "authenticator", new { code })).IsSuccessStatusCode);

        // The same client on the other instance: the data-protection keys are shared, so its credential is valid there.
        using var elsewhere = second.CreateSession();
        elsewhere.Cookies.Add(session.Cookies.GetAllCookies());
        elsewhere.AccessToken = session.AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/strict")).StatusCode);
        var problem = await Problem.ReadAsync(await second.ReverifyAsync(elsewhere, "authenticator", new { code }));

        Assert.Equal("replayed", problem.Reason);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Authenticator_OneCodeSubmittedConcurrently_ExactlyOneSucceeds(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = app.Code(app.TwoFactor);

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await session.PostJsonAsync("/reverify/authenticator", new { code });
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, static r => r.IsSuccessStatusCode);
        foreach (var refused in responses.Where(static r => !r.IsSuccessStatusCode))
        {
            Assert.Equal("replayed", (await Problem.ReadAsync(refused)).Reason);
        }

        // Every refusal was counted, though they were written concurrently (a lost update is counted again).
        Assert.Equal(4, await app.AccessFailedCountAsync(app.TwoFactor));
    }

    [Fact]
    public async Task Authenticator_OneCodeAtSignInAndReverificationConcurrently_ExactlyOneSucceeds()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = app.Code(app.TwoFactor);
        using var other = app.CreateSession();

        var results = await Task.WhenAll(
            Task.Run(() => session.PostJsonAsync("/reverify/authenticator", new { code })),
            Task.Run(() => app.TrySignInAsync(other, app.TwoFactor, code)));

        Assert.Single(results, static r => r.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task Authenticator_CodeOneStepAway_Accepted(int steps)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(60));

        var response = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor, steps) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public async Task Authenticator_CodeTwoStepsAway_RefusedAsWrong(int steps)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(90));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor, steps) }));

        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.TwoFactor));
    }

    [Fact]
    public async Task Authenticator_CodeWithSpaces_Accepted()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var code = app.Code(app.TwoFactor);

        var response = await app.ReverifyAsync(session, "authenticator", new { code = $"{code[..3]} {code[3..]}" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Authenticator_WrongCodes_LockOutAndRefuseTheRightCode()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var right = app.Code(app.TwoFactor);
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await app.ReverifyAsync(session, "authenticator", new { code = wrong });
        }

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "authenticator", new { code = right }));

        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal("locked_out", problem.Reason);
        Assert.NotNull(problem.RetryAfter);
        Assert.NotNull(problem.LockoutEnd);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Authenticator_PasswordOnlyUser_AnswersMethodUnavailable()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "authenticator", new { code = "123456" }));

        Assert.Equal("method_unavailable", problem.Reason);
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Fact]
    public async Task VerifyTwoFactorTokenAsync_AuthenticatorProvider_SharesTheSingleUseRule()
    {
        await using var app = await IdentityTestApp.StartAsync();
        var code = app.Code(app.TwoFactor);

        var first = await app.WithUserAsync(app.TwoFactor, (users, user) => users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code));
        var second = await app.WithUserAsync(app.TwoFactor, (users, user) => users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code));

        Assert.True(first);
        Assert.False(second);
    }
}
