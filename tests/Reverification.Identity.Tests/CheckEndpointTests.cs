using System.Net;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>GET /reverify/check?level=...</c>: what a Blazor guard asks before it renders a protected page. 204 when the
/// caller's credential satisfies the level now, otherwise the reverification answer a protected endpoint gives.
/// </summary>
public class CheckEndpointTests
{
    [Fact]
    public async Task Check_FreshSignIn_NoContent()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        Assert.Equal(HttpStatusCode.NoContent, (await session.GetAsync("/reverify/check?level=strict")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await session.GetAsync("/reverify/check?level=strict_mfa")).StatusCode);
    }

    [Fact]
    public async Task Check_Stale_TheReverificationAnswer()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.GetAsync("/reverify/check?level=strict");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""",
            await response.Content.ReadAsStringAsync());
        Assert.Contains("insufficient_user_authentication", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // Still passes a level it satisfies: lax (24 hours).
        Assert.Equal(HttpStatusCode.NoContent, (await session.GetAsync("/reverify/check?level=lax")).StatusCode);
    }

    [Fact]
    public async Task Check_AfterReverifying_NoContent()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/reverify/check?level=strict")).StatusCode);

        await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.NoContent, (await session.GetAsync("/reverify/check?level=strict")).StatusCode);
    }

    [Fact]
    public async Task Check_InlineLevel_ReadAsTheWireFormat()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);

        Assert.Equal(HttpStatusCode.NoContent, (await session.GetAsync("/reverify/check?level=first_factor&afterMinutes=12")).StatusCode);
        var stale = await session.GetAsync("/reverify/check?level=first_factor&afterMinutes=2.5");
        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        Assert.Contains("\"afterMinutes\":2.5", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reverify/check")]
    [InlineData("/reverify/check?level=")]
    [InlineData("/reverify/check?level=Strict")]
    [InlineData("/reverify/check?level=unknown")]
    [InlineData("/reverify/check?level=strict&level=lax")]
    [InlineData("/reverify/check?level=second_factor")]
    [InlineData("/reverify/check?level=second_factor&afterMinutes=0")]
    [InlineData("/reverify/check?level=second_factor&afterMinutes=-5")]
    [InlineData("/reverify/check?level=second_factor&afterMinutes=NaN")]
    [InlineData("/reverify/check?level=second_factor&afterMinutes=1e400")]
    [InlineData("/reverify/check?level=second_factor&afterMinutes=600000")]
    public async Task Check_BadLevel_BadRequestNeverAPass(string path)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var problem = await Problem.ReadAsync(await session.GetAsync(path));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("invalid_request", problem.Reason);
    }

    [Fact]
    public async Task Check_Anonymous_Unauthorized()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = app.CreateSession();

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/reverify/check?level=strict")).StatusCode);
    }

    [Fact]
    public async Task Check_AfterTheSecurityStampChanged_Denied()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        await app.WithUserAsync(app.TwoFactor, static async (users, user) => await users.UpdateSecurityStampAsync(user));

        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/reverify/check?level=strict")).StatusCode);
    }
}
