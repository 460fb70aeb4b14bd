using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Internal;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>POST /reverify/receipt</c> and <see cref="VerificationReceipts{TUser}"/>: how a Blazor Server circuit learns a
/// verification the browser's request recorded in the cookie. Real Identity cookies; the circuit's principal is the
/// one Identity's sign-in made (as the circuit's first request authenticated it).
/// </summary>
public class VerificationReceiptsTests
{
    private static async Task<string> ReceiptAsync(TestSession session)
    {
        var response = await session.PostRawAsync("/reverify/receipt", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(120, json.RootElement.GetProperty("expiresIn").GetInt64());
        return json.RootElement.GetProperty("receipt").GetString()!;
    }

    /// <summary>The circuit's principal: what Identity's sign-in wrote for <paramref name="user"/> (no verification times).</summary>
    private static Task<ClaimsPrincipal> CircuitUserAsync(IdentityTestApp app, SeededUser user)
        => app.WithUserAsync(user, async (_, u) =>
        {
            using var scope = app.Services.CreateScope();
            var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<TestUser>>();
            return await factory.CreateAsync(u);
        });

    private static async Task<(ClaimsPrincipal? Principal, string? Refusal)> ReadAsync(IdentityTestApp app, string receipt, ClaimsPrincipal circuitUser)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<VerificationReceipts<TestUser>>().ReadAsync(receipt, circuitUser);
    }

    private static ReverificationOutcome Check(IdentityTestApp app, ClaimsPrincipal principal, string level)
        => app.Services.GetRequiredService<IReverificationService>().Check(principal, level);

    [Fact]
    public async Task Receipt_AfterAReverification_GivesTheCircuitTheFreshTimes()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var circuitUser = await CircuitUserAsync(app, app.TwoFactor);
        Assert.NotEqual(ReverificationOutcome.Passed, Check(app, circuitUser, "strict"));
        await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor, steps: 1) });

        var (principal, refusal) = await ReadAsync(app, await ReceiptAsync(session), circuitUser);

        Assert.Null(refusal);
        Assert.Equal(ReverificationOutcome.Passed, Check(app, principal!, "strict"));
        // The first factor stays as the cookie says: signed in 11 minutes ago, too old for strict_mfa.
        Assert.NotEqual(ReverificationOutcome.Passed, Check(app, principal!, "strict_mfa"));
        // The circuit's other claims are kept.
        Assert.Equal(circuitUser.FindFirstValue(ClaimTypes.Email), principal!.FindFirstValue(ClaimTypes.Email));
    }

    [Fact]
    public async Task Receipt_AnotherUsersCircuit_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var receipt = await ReceiptAsync(session);

        var (principal, refusal) = await ReadAsync(app, receipt, await CircuitUserAsync(app, app.PasswordOnly));

        Assert.Null(principal);
        Assert.Equal("the receipt is another user's than the circuit's", refusal);
    }

    [Fact]
    public async Task Receipt_Expired_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var receipt = await ReceiptAsync(session);

        app.Time.Advance(TimeSpan.FromMinutes(2));
        var (principal, refusal) = await ReadAsync(app, receipt, await CircuitUserAsync(app, app.TwoFactor));

        Assert.Null(principal);
        Assert.Equal("the receipt expired", refusal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-receipt")]
    [InlineData("!!!")]
    public async Task Receipt_Forged_Refused(string? receipt)
    {
        await using var app = await IdentityTestApp.StartAsync();

        var (principal, refusal) = await ReadAsync(app, receipt!, await CircuitUserAsync(app, app.TwoFactor));

        Assert.Null(principal);
        Assert.NotNull(refusal);
    }

    [Fact]
    public async Task Receipt_Altered_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var receipt = await ReceiptAsync(session);
        var altered = receipt[..^2] + (receipt[^2] == 'A' ? 'B' : 'A') + receipt[^1];

        var (principal, refusal) = await ReadAsync(app, altered, await CircuitUserAsync(app, app.TwoFactor));

        Assert.Null(principal);
        Assert.Equal("the receipt was not issued by this app or was altered", refusal);
    }

    [Fact]
    public async Task Receipt_ProtectedForAnotherPurpose_Refused()
    {
        // Data another part of the app protected (here: Identity's own user tokens' purpose) is not a receipt.
        await using var app = await IdentityTestApp.StartAsync();
        var other = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Some.Other.Purpose")
            .Protect("""{"u":"x","e":9999999999,"c":[]}"""u8.ToArray());

        var (principal, refusal) = await ReadAsync(app, Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(other), await CircuitUserAsync(app, app.TwoFactor));

        Assert.Null(principal);
        Assert.Equal("the receipt was not issued by this app or was altered", refusal);
    }

    [Fact]
    public async Task Receipt_SecurityStampChangedSince_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var receipt = await ReceiptAsync(session);

        await app.WithUserAsync(app.TwoFactor, static async (users, user) => await users.UpdateSecurityStampAsync(user));
        var (principal, refusal) = await ReadAsync(app, receipt, await CircuitUserAsync(app, app.TwoFactor));

        Assert.Null(principal);
        Assert.Equal("the user's security stamp changed since the verification", refusal);
    }

    [Fact]
    public async Task ReceiptEndpoint_Anonymous_Unauthorized()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = app.CreateSession();

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.PostRawAsync("/reverify/receipt", "{}")).StatusCode);
    }
}
