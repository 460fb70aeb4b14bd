using System.Net;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary><c>POST /reverify/password</c>: the first factor, counted against Identity's lockout.</summary>
public class PasswordVerificationTests
{
    public static TheoryData<IdentityTestMode> Modes() => [IdentityTestMode.Cookie, IdentityTestMode.Bearer];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Password_Right_RecordsFirstFactorAndPassesStrict(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);

        var response = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        Assert.Equal(mode == IdentityTestMode.Cookie ? HttpStatusCode.NoContent : HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Password_Right_FreshnessExpiresAfterTheLevelsMaxAge(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        app.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Password_Wrong_RefusedAndCountedAgainstTheAccount(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);

        var response = await app.ReverifyAsync(session, "password", new { password = "wrong-password" });

        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.PasswordOnly));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Password_RightAfterWrong_ResetsTheFailedCount()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.ReverifyAsync(session, "password", new { password = "wrong-password" });
        await app.ReverifyAsync(session, "password", new { password = "wrong-password" });
        Assert.Equal(2, await app.AccessFailedCountAsync(app.PasswordOnly));

        var response = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Password_WrongUpToTheThreshold_LocksOutAndRefusesTheRightPassword(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        for (var i = 1; i < 5; i++)
        {
            var wrong = await Problem.ReadAsync(await app.ReverifyAsync(session, "password", new { password = $"wrong-{i}" }));
            Assert.Equal("wrong", wrong.Reason);
        }

        // The fifth wrong answer (Identity's MaxFailedAccessAttempts) locks the account and says until when.
        var fifth = await Problem.ReadAsync(await app.ReverifyAsync(session, "password", new { password = "wrong-5" }));
        var right = await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);
        Assert.Equal("locked_out", fifth.Reason);
        var locked = await Problem.ReadAsync(right);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal("locked_out", locked.Reason);
        Assert.NotNull(locked.LockoutEnd);
        var lockoutEnd = DateTimeOffset.Parse(locked.LockoutEnd!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lockoutEnd, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.InRange(int.Parse(locked.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 200, 400);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Password_LockedOutOnOneInstance_RefusedOnAnotherSharingTheStore()
    {
        await using var first = await IdentityTestApp.StartAsync();
        await using var second = await IdentityTestApp.StartAsync(database: first.Database, start: first.Time.GetUtcNow());
        using var session = await first.SignInAsync(first.PasswordOnly);
        for (var i = 0; i < 5; i++)
        {
            await first.ReverifyAsync(session, "password", new { password = $"wrong-{i}" });
        }

        using var elsewhere = second.CreateSession();
        elsewhere.Cookies.Add(session.Cookies.GetAllCookies());
        var problem = await Problem.ReadAsync(await second.ReverifyAsync(elsewhere, "password", new { password = second.PasswordOnly.Password }));

        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal("locked_out", problem.Reason);
    }

    [Fact]
    public async Task Password_UserWithoutPassword_AnswersMethodUnavailable()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.RemovePasswordAsync(user));

        var problem = await Problem.ReadAsync(await app.ReverifyAsync(session, "password", new { password = "anything" }));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("method_unavailable", problem.Reason);
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }
}
