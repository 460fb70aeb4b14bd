using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>
/// A verification recorded before the user's security stamp changed stops counting at once (not after Identity's
/// validation interval), for a cookie app and a bearer-token app; recording afterwards keeps the revoked factor present
/// but stale.
/// </summary>
public class IdentityStampClaimsTransformationTests
{
    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task UpdateSecurityStampAsync_AfterSignIn_StrictDeniesAtOnce(IdentityTestMode mode)
    {
        await using var app = await StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await PassedAsync(await session.GetAsync("/strict"));

        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));

        await RequiredAsync(await session.GetAsync("/strict"), "strict");
        Assert.Empty((await VerificationClaims.ReadAsync(session)).FirstFactor);
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task ChangePasswordAsync_AfterSignIn_StrictDeniesAtOnce(IdentityTestMode mode)
    {
        await using var app = await StartAsync(mode);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await PassedAsync(await session.GetAsync("/strict"));

        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.ChangePasswordAsync(user, IdentityTestDatabase.Password, "Another-Horse-7"));

        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task ResetAuthenticatorKeyAsync_AfterSignIn_StrictMfaDeniesAtOnce()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.ResetAuthenticatorKeyAsync(user));

        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }

    [Fact]
    public async Task AnotherUsersStampChange_DoesNotRevoke()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.UpdateSecurityStampAsync(user));

        await PassedAsync(await session.GetAsync("/strict-mfa"));
    }

    [Fact]
    public async Task RefreshSignInAsync_AfterStampChange_TimesStayRevoked()
    {
        // Identity UI's change-password page refreshes the sign-in after the change: the new cookie keeps the old stamp
        // binding, so the times it carries still do not count.
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.ChangePasswordAsync(user, IdentityTestDatabase.Password, "Another-Horse-7"));

        (await session.PostJsonAsync("/test/refresh-sign-in", new { })).EnsureSuccessStatusCode();

        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task RecordSecondFactor_AfterStampChange_KeepsFirstFactorPresentButStale()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));

        var record = await session.PostJsonAsync($"/test/record/{ReverificationFactors.SecondFactor}", new { });
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal(HttpStatusCode.NoContent, record.StatusCode);
        Assert.Equal(["0"], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict"));
        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }

    [Fact]
    public async Task RecordFirstFactor_AfterStampChange_TwoFactorAccountStillNeedsItsSecondFactor()
    {
        // The password alone must not pass a second-factor level for an account with a second factor: the revoked
        // second factor stays present (stale), it is not dropped.
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));

        (await session.PostJsonAsync($"/test/record/{ReverificationFactors.FirstFactor}", new { })).EnsureSuccessStatusCode();
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal(["0"], times.SecondFactor);
        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task RecordAfterSignIn_StampUnchanged_CarriesTheOtherFactor()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(20));

        (await session.PostJsonAsync($"/test/record/{ReverificationFactors.SecondFactor}", new { })).EnsureSuccessStatusCode();
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started.AddMinutes(20))], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict"));
    }

    [Fact]
    public async Task CoreRecorder_AfterStampChange_StaysRevoked()
    {
        // The core's RecordReverificationAsync keeps the ticket's old stamp binding: after a stamp change only a
        // recording through Reverification.Identity (which binds to the new stamp) makes times count again.
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.UpdateSecurityStampAsync(user));

        (await session.PostJsonAsync("/test/core-record", new { })).EnsureSuccessStatusCode();
        await RequiredAsync(await session.GetAsync("/strict"), "strict");

        (await session.PostJsonAsync($"/test/record/{ReverificationFactors.MultiFactor}", new { })).EnsureSuccessStatusCode();
        await PassedAsync(await session.GetAsync("/strict"));
    }

    [Fact]
    public async Task TransformAsync_TimesWithoutStampClaim_AreRemoved()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        await using var scope = app.Services.CreateAsyncScope();
        var transformation = scope.ServiceProvider.GetRequiredService<IClaimsTransformation>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, app.PasswordOnly.Id), new Claim("f1_verified_at", Unix(app.Started))], "Test"));

        var result = await transformation.TransformAsync(principal);

        Assert.Null(result.FindFirst("f1_verified_at"));
    }

    [Fact]
    public async Task ProtectedRequest_WithTimes_ReadsTheUserOnce()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.PasswordOnly);
        var counter = app.Services.GetRequiredService<UserReadCounter>();
        counter.Reset();

        await PassedAsync(await session.GetAsync("/strict"));

        Assert.Equal(1, counter.Reads);
    }

    [Fact]
    public async Task RevokedRequest_AuthenticatingTwice_ReadsTheUserOnce()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.UpdateSecurityStampAsync(user));
        var counter = app.Services.GetRequiredService<UserReadCounter>();
        counter.Reset();

        var response = await session.GetAsync("/test/authenticate-twice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("revoked revoked", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, counter.Reads);
    }

    [Fact]
    public async Task ProtectedRequest_WithoutTimes_ReadsNoUser()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        using var session = app.CreateSession();
        (await session.PostJsonAsync("/test/external-sign-in", new SignInTestEndpoints.ExternalSignIn(app.PasswordOnly.Email))).EnsureSuccessStatusCode();
        var counter = app.Services.GetRequiredService<UserReadCounter>();
        counter.Reset();

        await RequiredAsync(await session.GetAsync("/strict"), "strict");

        Assert.Equal(0, counter.Reads);
    }

    [Fact]
    public async Task TransformAsync_PrincipalWithoutTimes_ReturnsItUnchanged()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        await using var scope = app.Services.CreateAsyncScope();
        var transformation = scope.ServiceProvider.GetRequiredService<IClaimsTransformation>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, app.PasswordOnly.Id)], "Test"));

        var result = await transformation.TransformAsync(principal);

        Assert.Same(principal, result);
    }

    [Fact]
    public async Task TransformAsync_TimesOfAnUnknownUser_AreRemoved()
    {
        await using var app = await StartAsync(IdentityTestMode.Cookie);
        await using var scope = app.Services.CreateAsyncScope();
        var transformation = scope.ServiceProvider.GetRequiredService<IClaimsTransformation>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "no-such-user"), new Claim("f1_verified_at", Unix(app.Started)), new Claim("rv_stamp", "x")], "Test"));

        var result = await transformation.TransformAsync(principal);

        Assert.Null(result.FindFirst("f1_verified_at"));
        Assert.NotNull(principal.FindFirst("f1_verified_at")); // the ticket's principal is not changed in place
    }

    private static Task<IdentityTestApp> StartAsync(IdentityTestMode mode)
        => IdentityTestApp.StartAsync(
            mode,
            services: static s =>
            {
                UserReadCounter.Use(s);
            },
            endpoints: SignInTestEndpoints.Map);
}
