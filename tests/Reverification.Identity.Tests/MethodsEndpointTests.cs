using System.Net;
using System.Text.Json;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary><c>GET /reverify/methods</c>: which methods the account has, and how long ago each factor was verified.</summary>
public class MethodsEndpointTests
{
    [Fact]
    public async Task Methods_PasswordOnlyUser_ListsPasswordAndTheSignInsAge()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);

        using var json = await ReadAsync(session);

        Assert.Equal(["password"], Methods(json));
        Assert.Equal(0, json.RootElement.GetProperty("recoveryCodesLeft").GetInt32());
        // The sign-in recorded the password (ReverificationSignInManager); the account has no second factor.
        Assert.Equal((long)IdentityTestApp.LongAgo.TotalSeconds, json.RootElement.GetProperty("firstFactorAgeSeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("secondFactorAgeSeconds").ValueKind);
        Assert.Equal("found", json.RootElement.GetProperty("verificationData").GetString());
    }

    [Fact]
    public async Task Methods_TwoFactorUser_ListsAuthenticatorAndRecoveryCodes()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        using var json = await ReadAsync(session);

        Assert.Equal(["password", "authenticator", "recovery_code"], Methods(json));
        Assert.Equal(10, json.RootElement.GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task Methods_TwoFactorDisabled_ListsNeitherAuthenticatorNorRecoveryCodes()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.SetTwoFactorEnabledAsync(user, false));

        using var json = await ReadAsync(session);

        Assert.Equal(["password"], Methods(json));
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task Methods_AfterVerifications_GivesEachFactorsAge(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.ReverifyAsync(session, "password", new { password = app.TwoFactor.Password });
        app.Time.Advance(TimeSpan.FromSeconds(45));
        await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor) });
        app.Time.Advance(TimeSpan.FromSeconds(30));

        using var json = await ReadAsync(session);

        Assert.Equal("found", json.RootElement.GetProperty("verificationData").GetString());
        Assert.Equal(75, json.RootElement.GetProperty("firstFactorAgeSeconds").GetInt64());
        Assert.Equal(30, json.RootElement.GetProperty("secondFactorAgeSeconds").GetInt64());
    }

    [Fact]
    public async Task Methods_UserDeleted_AnswersUserNotFound()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.DeleteAsync(user));

        var problem = await Problem.ReadAsync(await session.GetAsync("/reverify/methods"));

        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("user_not_found", problem.Reason);
    }

    private static async Task<JsonDocument> ReadAsync(TestSession session)
    {
        var response = await session.GetAsync("/reverify/methods");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string[] Methods(JsonDocument json)
        => [.. json.RootElement.GetProperty("methods").EnumerateArray().Select(static m => m.GetString()!)];
}
