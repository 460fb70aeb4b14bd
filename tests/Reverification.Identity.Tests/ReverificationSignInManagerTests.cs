using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>
/// A fresh Identity sign-in records the factors it verified (the contract's "Verifying again with ASP.NET Core
/// Identity"), through Identity's own sign-in APIs, for a cookie app and a bearer-token app.
/// </summary>
public class ReverificationSignInManagerTests
{
    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task PasswordSignIn_AccountWithoutTwoFactor_RecordsFirstFactorAndPassesStrict(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.PasswordOnly);

        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Empty(times.SecondFactor);
        Assert.Single(times.Stamp);
        await PassedAsync(await session.GetAsync("/strict"));
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task PasswordThenAuthenticatorCode_RecordsBothFactorsAndPassesStrictMfa(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict-mfa"));
    }

    [Fact]
    public async Task PasswordThenRecoveryCode_RecordsBothFactors()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Bearer, endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();
        var login = await session.PostJsonAsync("/login", new { email = app.TwoFactor.Email, password = app.TwoFactor.Password, twoFactorRecoveryCode = app.TwoFactor.RecoveryCodes[0] });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await session.UseTokensFromAsync(login);

        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal([Unix(app.Started)], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict-mfa"));
    }

    [Fact]
    public async Task PasswordStepAlone_TwoFactorAccount_SignsNothingIn()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();

        var passwordOnly = await app.TrySignInAsync(session, app.TwoFactor);
        var times = await VerificationClaims.ReadAsync(session);
        var strict = await session.GetAsync("/strict");

        Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
        Assert.Contains("RequiresTwoFactor", await passwordOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(times.Authenticated);
        Assert.Empty(times.FirstFactor);
        Assert.Equal(HttpStatusCode.Found, strict.StatusCode); // the cookie's sign-in challenge
        Assert.Contains("/Account/Login", strict.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task SignIn_ElevenMinutesLater_StrictAsksForReverification(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode, endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        app.Time.Advance(TimeSpan.FromMinutes(11));

        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task ExternalLogin_AccountWithoutTwoFactor_RecordsNoFactor()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();

        var signIn = await session.PostJsonAsync("/test/external-sign-in", new SignInTestEndpoints.ExternalSignIn(app.PasswordOnly.Email));
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.True(times.Authenticated);
        Assert.Empty(times.FirstFactor);
        Assert.Empty(times.SecondFactor);
        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task ExternalLoginBypassingTwoFactor_TwoFactorAccount_CarriesAStaleSecondFactor()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();

        await session.PostJsonAsync("/test/external-sign-in", new SignInTestEndpoints.ExternalSignIn(app.TwoFactor.Email, BypassTwoFactor: true));
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Empty(times.FirstFactor);
        Assert.Equal(["0"], times.SecondFactor);
        await RequiredAsync(await session.GetAsync("/strict"), "strict");
    }

    [Fact]
    public async Task ExternalLoginThenAuthenticatorCode_RecordsSecondFactorOnly()
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie, endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();
        var external = await session.PostJsonAsync("/test/external-sign-in", new SignInTestEndpoints.ExternalSignIn(app.TwoFactor.Email));
        Assert.Contains("RequiresTwoFactor", await external.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The app's sign-in endpoint finishes the two-factor step the external login started (a remembered two-factor
        // user id cookie), as Identity UI's LoginWith2fa page does.
        var code = await session.PostJsonAsync("/test/two-factor", new { code = app.Code(app.TwoFactor) });
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal(HttpStatusCode.OK, code.StatusCode);
        Assert.Empty(times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict"));
        await RequiredAsync(await session.GetAsync("/strict-mfa"), "strict_mfa");
    }

    [Theory]
    [InlineData(true, new[] { "first", "second" })]
    [InlineData(false, new[] { "second" })]
    public async Task PasskeySignIn_RecordsByTheAssertionsUserVerification(bool userVerified, string[] recorded)
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            services: static s => s.AddScoped<IPasskeyHandler<TestUser>, FakePasskeyHandler>(),
            endpoints: SignInTestEndpoints.Map);
        using var session = app.CreateSession();

        (await session.PostJsonAsync("/test/passkey/options", new SignInTestEndpoints.ExternalSignIn(app.TwoFactor.Email))).EnsureSuccessStatusCode();
        var signIn = await session.PostRawAsync("/test/passkey/sign-in", FakePasskeyHandler.CredentialJson(app.TwoFactor, userVerified));
        var times = await VerificationClaims.ReadAsync(session);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(recorded.Contains("first") ? [Unix(app.Started)] : [], times.FirstFactor);
        Assert.Equal([Unix(app.Started)], times.SecondFactor);
        await PassedAsync(await session.GetAsync("/strict"));
        var strictMfa = await session.GetAsync("/strict-mfa");
        if (userVerified)
        {
            await PassedAsync(strictMfa);
        }
        else
        {
            await RequiredAsync(strictMfa, "strict_mfa");
        }
    }
}
