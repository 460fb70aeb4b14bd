using System.Net;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>The per-account attempt limit of the verification endpoints: keyed on the user, not the address.</summary>
public class AttemptLimitTests
{
    [Fact]
    public async Task Verify_OverTheAttemptLimit_AnswersTooManyRequestsWithRetryAfter()
    {
        await using var app = await IdentityTestApp.StartAsync(configure: static o =>
        {
            o.AttemptLimit = 3;
            o.AttemptWindow = TimeSpan.FromMinutes(10);
        });
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await app.ReverifyAsync(session, "password", new { password = "wrong" })).StatusCode);
        }

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password }));

        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal("rate_limited", problem.Reason);
        Assert.InRange(int.Parse(problem.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        Assert.Equal(3, await app.AccessFailedCountAsync(app.PasswordOnly));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Verify_OverTheAttemptLimit_AppliesToEverySessionOfTheAccount()
    {
        await using var app = await IdentityTestApp.StartAsync(configure: static o => o.AttemptLimit = 2);
        using var first = await app.SignInAsync(app.PasswordOnly);
        using var second = await app.SignInAsync(app.PasswordOnly);
        await app.ReverifyAsync(first, "password", new { password = "wrong" });
        await app.ReverifyAsync(first, "authenticator", new { code = "123456" });

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(second, "password", new { password = app.PasswordOnly.Password }));

        Assert.Equal("rate_limited", problem.Reason);
    }

    [Fact]
    public async Task Verify_OtherAccountOverTheLimit_DoesNotLimitThisOne()
    {
        await using var app = await IdentityTestApp.StartAsync(configure: static o => o.AttemptLimit = 1);
        using var attacker = await app.SignInAsync(app.PasswordOnly);
        await app.ReverifyAsync(attacker, "password", new { password = "wrong" });
        Assert.Equal("rate_limited", (await Problem.ReadAsync(await app.ReverifyAsync(attacker, "password", new { password = "wrong" }))).Reason);
        using var victim = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await app.ReverifyAsync(victim, "password", new { password = app.TwoFactor.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
