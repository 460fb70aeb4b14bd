using System.Net;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary><c>POST /reverify/recovery-code</c>: the second factor, each code used up by Identity's redemption.</summary>
public class RecoveryCodeVerificationTests
{
    public static TheoryData<IdentityTestMode> Modes() => [IdentityTestMode.Cookie, IdentityTestMode.Bearer];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task RecoveryCode_Right_RecordsSecondFactorAndPassesStrict(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[0] });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
        Assert.Equal(9, await app.WithUserAsync(app.TwoFactor, static (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task RecoveryCode_UsedTwice_SecondRefusedAndCounted()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var code = app.TwoFactor.RecoveryCodes[1];
        Assert.Equal(HttpStatusCode.NoContent, (await app.ReverifyAsync(session, "recovery-code", new { code })).StatusCode);

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "recovery-code", new { code }));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.TwoFactor));
    }

    [Fact]
    public async Task RecoveryCode_UsedConcurrently_ExactlyOneSucceeds()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var code = app.TwoFactor.RecoveryCodes[2];

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await session.PostJsonAsync("/reverify/recovery-code", new { code });
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, static r => r.IsSuccessStatusCode);
    }

    [Fact]
    public async Task RecoveryCode_Wrong_RefusedAndCounted()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "recovery-code", new { code = "AAAAA-BBBBB" }));

        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.TwoFactor));
        Assert.Equal(10, await app.WithUserAsync(app.TwoFactor, static (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task RecoveryCode_WhileLockedOut_RefusedAndNotUsedUp()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(5)));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "recovery-code", new { code = app.TwoFactor.RecoveryCodes[3] }));

        Assert.Equal("locked_out", problem.Reason);
        Assert.Equal(10, await app.WithUserAsync(app.TwoFactor, static (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task RecoveryCode_PasswordOnlyUser_AnswersMethodUnavailable()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "recovery-code", new { code = "AAAAA-BBBBB" }));

        Assert.Equal("method_unavailable", problem.Reason);
    }
}
