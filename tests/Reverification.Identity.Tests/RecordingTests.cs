using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>How a verification is recorded: the cookie, the bearer token pair, or the app's own token hook.</summary>
public class RecordingTests
{
    [Fact]
    public async Task IssueToken_Set_ReceivesTheUserTheFactorsAndTheClaimsAndWritesTheAnswer()
    {
        IdentityReverificationTokenContext? seen = null;
        await using var app = await IdentityTestApp.StartAsync(configure: o => o.IssueToken = context =>
        {
            seen = context;
            var claims = context.Claims.ToDictionary(static c => c.Type, static c => c.Value);
            return ValueTask.FromResult(Results.Json(new { token = "app-token", claims }));
        });
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });
        app.Time.Advance(TimeSpan.FromSeconds(30));

        var response = await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("app-token", json.RootElement.GetProperty("token").GetString());
        Assert.NotNull(seen);
        Assert.Equal(app.TwoFactor.Id, seen.UserId);
        Assert.Equal(ReverificationFactors.SecondFactor, seen.Verified);
        var now = app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(now, json.RootElement.GetProperty("claims").GetProperty("f2_verified_at").GetString());
        // The hook answered for the password too, so the cookie carries no first-factor time to keep.
        Assert.False(json.RootElement.GetProperty("claims").TryGetProperty("f1_verified_at", out _));
    }

    [Fact]
    public async Task Recording_BearerTokenInACookieApp_RefusesBeforeUsingUpTheCode()
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            configure: static o => o.Recording = IdentityReverificationRecording.BearerToken,
            services: static s => s.AddAuthentication().AddBearerToken(Microsoft.AspNetCore.Identity.IdentityConstants.BearerScheme));
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[0] }));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("cannot_record", problem.Reason);
        Assert.Equal(10, await app.WithUserAsync(app.TwoFactor, static (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task Recording_Automatic_BearerRequestGetsANewTokenPair()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Bearer);
        using var session = await app.SignInAsync(app.PasswordOnly);
        var before = session.AccessToken;

        var response = await session.PostJsonAsync("/reverify/password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", json.RootElement.GetProperty("tokenType").GetString());
        Assert.NotEqual(before, json.RootElement.GetProperty("accessToken").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("refreshToken").GetString()));
        // The old token carries no verification; the new one does.
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
        await session.UseTokensFromAsync(response);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Recording_AutomaticInACookieAppWithAStrayBearerHeader_RefreshesTheCookie()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.PasswordOnly);
        session.AccessToken = "stray";

        var response = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Recording_BearerTokenAppSignedInWithItsCookie_RefreshesTheCookie()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Bearer);
        using var session = app.CreateSession();
        var login = await session.PostJsonAsync("/login?useCookies=true", new { email = app.PasswordOnly.Email, password = app.PasswordOnly.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var response = await session.PostJsonAsync("/reverify/password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Recording_CookieApp_KeepsTheOtherFactorsTime()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[0] });
        app.Time.Advance(TimeSpan.FromMinutes(11));
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });

        // The second factor is 11 minutes old and was kept: strict (second factor, 10 minutes) fails.
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
        await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[1] });
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict-mfa")).StatusCode);
    }

    [Fact]
    public async Task MapReverificationEndpoints_WithoutAddIdentityReverification_ThrowsWithTheFix()
    {
        var builder = WebApplication.CreateBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapReverificationEndpoints<TestUser>());

        Assert.Contains("AddIdentityReverification<TestUser>()", error.Message, StringComparison.Ordinal);
    }
}
