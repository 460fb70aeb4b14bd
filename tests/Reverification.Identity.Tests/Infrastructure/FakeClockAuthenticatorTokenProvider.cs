using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// An authenticator token provider on the app's <see cref="TimeProvider"/> (the test's fake clock), with Identity's
/// window of one time step either side: Identity's own provider reads the real clock, so the codes
/// <see cref="IdentityTestApp.Code"/> computes on the fake clock would not verify. For tests about what a sign-in records,
/// not about the codes themselves.
/// </summary>
public sealed class FakeClockAuthenticatorTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<TestUser>
{
    public const string Name = "FakeClockAuthenticator";

    /// <summary>Registers it as the authenticator provider: pass as <c>IdentityTestApp.StartAsync(services: ...)</c>.</summary>
    public static void Use(IServiceCollection services)
    {
        services.AddTransient<FakeClockAuthenticatorTokenProvider>();
        services.Configure<IdentityOptions>(static o =>
        {
            o.Tokens.ProviderMap[Name] = new TokenProviderDescriptor(typeof(FakeClockAuthenticatorTokenProvider));
            o.Tokens.AuthenticatorTokenProvider = Name;
        });
    }

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TestUser> manager, TestUser user)
        => !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    public Task<string> GenerateAsync(string purpose, UserManager<TestUser> manager, TestUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TestUser> manager, TestUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        return key is not null
            && new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(time.GetUtcNow().UtcDateTime, token, out _, new VerificationWindow(1, 1));
    }
}
