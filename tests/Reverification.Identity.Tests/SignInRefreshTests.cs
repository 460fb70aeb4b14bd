using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>
/// Renewing or refreshing a sign-in keeps the recorded times, never making them fresher and never dropping them:
/// <c>RefreshSignInAsync</c>, the security-stamp validator's refresh and <c>MapIdentityApi</c>'s <c>/refresh</c>.
/// </summary>
public class SignInRefreshTests
{
    [Fact]
    public async Task RefreshSignInAsync_AfterTimePassed_KeepsTheTimesAndStaleStaysStale()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(11));
        await RequiredAsync(await session.GetAsync("/strict"), "strict");

        var refresh = await session.PostJsonAsync("/test/refresh-sign-in", new { });
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal(HttpStatusCode.NoContent, refresh.StatusCode);
        Assert.True(refresh.Headers.Contains("Set-Cookie"), "RefreshSignInAsync wrote no cookie");
        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task RefreshSignInAsync_WithinTheWindow_KeepsBothFactorsSoStrictMfaStillPasses()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(5));

        (await session.PostJsonAsync("/test/refresh-sign-in", new { })).EnsureSuccessStatusCode();

        await PassedAsync(await session.GetAsync("/strict-mfa"));
        app.Time.Advance(TimeSpan.FromMinutes(6));
        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }

    [Fact]
    public async Task SecurityStampValidatorRefresh_EveryRequest_KeepsTheTimes()
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            services: static s =>
            {
                s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
            },
            endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(5));

        var renewed = await session.GetAsync("/strict-mfa");
        var times = await VerificationClaims.ReadAsync(session);

        // The validator ran (it renews the cookie) and the new ticket has the sign-in's times, not new ones.
        Assert.True(renewed.Headers.Contains("Set-Cookie"), "the security-stamp validator did not refresh the cookie");
        await PassedAsync(renewed);
        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        app.Time.Advance(TimeSpan.FromMinutes(6));
        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }

    [Fact]
    public async Task SecurityStampValidatorRefresh_AppCallbackCopiesEveryClaim_TimesAreNotDuplicated()
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            services: static s => s.Configure<SecurityStampValidatorOptions>(o =>
            {
                o.ValidationInterval = TimeSpan.Zero;
                o.OnRefreshingPrincipal = context =>
                {
                    var kept = context.CurrentPrincipal!.Claims.Where(c => c.Type is "f1_verified_at" or "f2_verified_at" or "rv_stamp");
                    context.NewPrincipal!.Identities.First().AddClaims(kept.Select(static c => c.Clone()));
                    return Task.CompletedTask;
                };
            }),
            endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(5));

        await PassedAsync(await session.GetAsync("/strict-mfa"));
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Single(times.FirstFactor);
        Assert.Single(times.SecondFactor);
        Assert.Single(times.Stamp);
    }

    [Fact]
    public async Task BearerRefreshEndpoint_NewTokens_KeepTheTimes()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Bearer, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var firstToken = session.AccessToken;
        app.Time.Advance(TimeSpan.FromMinutes(5));

        var refresh = await session.PostJsonAsync("/refresh", new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        await session.UseTokensFromAsync(refresh);
        var times = await VerificationClaims.ReadAsync(session);

        Assert.NotEqual(firstToken, session.AccessToken);
        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict-mfa"));
        app.Time.Advance(TimeSpan.FromMinutes(6));
        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }
}
