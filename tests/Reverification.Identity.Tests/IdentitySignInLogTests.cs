using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>Sign-in recording and revocation log stable event ids (350+), never a claim value, stamp or credential.</summary>
public class IdentitySignInLogTests
{
    [Fact]
    public async Task SignInThenRevocation_LogEventIdsWithoutValues()
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            services: static s =>
            {
                s.AddLogging(static b => b.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
            },
            endpoints: SignInTestEndpoints.Map);
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        var times = await VerificationClaims.ReadAsync(session);
        var stamp = await app.WithUserAsync(app.TwoFactor, static (users, user) => users.GetSecurityStampAsync(user));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));
        await RequiredAsync(await session.GetAsync("/strict"), "strict");

        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        var recorded = Assert.Single(records, static r => r.Id.Id == 350);
        var revoked = Assert.Single(records, static r => r.Id.Id == 352);

        Assert.Equal("SignInRecorded", recorded.Id.Name);
        Assert.Contains("password and two-factor code", recorded.Message, StringComparison.Ordinal);
        Assert.Contains("MultiFactor", recorded.Message, StringComparison.Ordinal);
        Assert.Equal("VerificationRevoked", revoked.Id.Name);
        Assert.Contains("security stamp changed", revoked.Message, StringComparison.Ordinal);
        foreach (var record in records)
        {
            Assert.DoesNotContain(times.Stamp[0], record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(times.FirstFactor[0], record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(stamp, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(app.TwoFactor.Password, record.Message, StringComparison.Ordinal);
        }
    }
}
