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
        // The hook answered for the password too, so the first factor is the sign-in's, carried over from the cookie,
        // and the times are bound to the security stamp.
        Assert.Equal(app.Started.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), json.RootElement.GetProperty("claims").GetProperty("f1_verified_at").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("claims").GetProperty("rv_stamp").GetString()));
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task Reverify_AfterPasswordChange_CountsAgain(IdentityTestMode mode)
    {
        const string newPassword = "Another-Horse-10";
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.PasswordOnly);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
        var changed = await app.WithUserAsync(app.PasswordOnly, (users, user) => users.ChangePasswordAsync(user, app.PasswordOnly.Password, newPassword));
        Assert.True(changed.Succeeded);

        // The new security stamp revokes the sign-in's times at once...
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);

        var response = await app.ReverifyAsync(session, "password", new { password = newPassword });

        // ...and a reverification is bound to the new stamp, so it counts.
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task Reverify_PasswordOnTwoFactorAccountAfterRevocation_KeepsTheSecondFactorPresent(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);

        var response = await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });

        // The password alone never passes a second-factor level for an account with a second factor: the second factor
        // stays present, never verified since the revocation, instead of absent (which would fall back to the password).
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
        using (var methods = JsonDocument.Parse(await (await session.GetAsync("/reverify/methods")).Content.ReadAsStringAsync()))
        {
            Assert.Equal(0, methods.RootElement.GetProperty("firstFactorAgeSeconds").GetInt64());
            Assert.True(methods.RootElement.GetProperty("secondFactorAgeSeconds").GetInt64() > 366L * 24 * 60 * 60);
        }

        app.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor) })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict-mfa")).StatusCode);
    }

    [Fact]
    public async Task IssueToken_PasswordOnTwoFactorAccountAfterRevocation_GivesAPresentSecondFactorAndTheStamp()
    {
        IdentityReverificationTokenContext? seen = null;
        await using var app = await IdentityTestApp.StartAsync(configure: o => o.IssueToken = context =>
        {
            seen = context;
            return ValueTask.FromResult(Results.NoContent());
        });
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));
        app.Time.Advance(TimeSpan.FromMinutes(1));

        var response = await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.NotNull(seen);
        var claims = seen.Claims.ToDictionary(static c => c.Type, static c => c.Value);
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), claims["f1_verified_at"]);
        Assert.Equal("0", claims["f2_verified_at"]);
        var stamp = await app.WithUserAsync(app.TwoFactor, static (users, user) => users.GetSecurityStampAsync(user));
        Assert.Equal(Internal.VerificationStamp.Compute(app.TwoFactor.Id, stamp), claims["rv_stamp"]);
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
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
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
