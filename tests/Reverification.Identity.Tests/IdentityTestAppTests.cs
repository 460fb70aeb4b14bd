using System.Net;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>The test app itself: sign-in works in both modes (what a sign-in records: ReverificationSignInManagerTests).</summary>
public class IdentityTestAppTests
{
    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task SignIn_PasswordOnlyUser_IsAuthenticated(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.PasswordOnly);

        var methods = await session.GetAsync("/reverify/methods");

        Assert.NotEqual(HttpStatusCode.Unauthorized, methods.StatusCode);
    }

    [Theory]
    [InlineData(IdentityTestMode.Cookie)]
    [InlineData(IdentityTestMode.Bearer)]
    public async Task SignIn_TwoFactorUserWithCode_IsAuthenticated(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var methods = await session.GetAsync("/reverify/methods");

        Assert.NotEqual(HttpStatusCode.Unauthorized, methods.StatusCode);
    }
}
