using Microsoft.AspNetCore.Identity;

namespace Reverification.Sample.Data;

/// <summary>Creates the SQLite database and the demo users when they are missing.</summary>
public static class SampleSeeder
{
    // Where Identity's UserStore keeps the authenticator key (UserManager.GetAuthenticatorKeyAsync reads it there).
    private const string AuthenticatorLoginProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyName = "AuthenticatorKey";

    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
        await db.Database.EnsureCreatedAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<SampleUser>>();
        await EnsureUserAsync(users, DemoUsers.TotpEmail, "Alice", DemoUsers.TotpPassword, DemoUsers.TotpSecret);
        await EnsureUserAsync(users, DemoUsers.PasswordOnlyEmail, "Bob", DemoUsers.PasswordOnlyPassword, authenticatorKey: null);
    }

    private static async Task EnsureUserAsync(UserManager<SampleUser> users, string email, string displayName, string password, string? authenticatorKey)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var user = new SampleUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            Balance = DemoUsers.StartingBalance,
        };
        Check(await users.CreateAsync(user, password));
        if (authenticatorKey is not null)
        {
            Check(await users.SetAuthenticationTokenAsync(user, AuthenticatorLoginProvider, AuthenticatorKeyName, authenticatorKey));
            Check(await users.SetTwoFactorEnabledAsync(user, true));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo users failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
