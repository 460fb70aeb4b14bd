using Microsoft.AspNetCore.Identity;

namespace Reverification.Sample.Data;

/// <summary>Creates the SQLite database and the demo users when they are missing.</summary>
public static class SampleSeeder
{
    public static async Task SeedAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
        await db.Database.EnsureCreatedAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<SampleUser>>();
        var store = scope.ServiceProvider.GetRequiredService<IUserStore<SampleUser>>();
        await EnsureUserAsync(users, store, DemoUsers.TotpEmail, "Alice", DemoUsers.TotpPassword, DemoUsers.TotpSecret);
        await EnsureUserAsync(users, store, DemoUsers.PasswordOnlyEmail, "Bob", DemoUsers.PasswordOnlyPassword, authenticatorKey: null);
    }

    /// <summary>
    /// Creates a user with a password and, when <paramref name="authenticatorKey"/> is given, that authenticator key
    /// (base32) with two-factor sign-in turned on. Used for the demo users, and by the tests' own accounts
    /// (<c>POST /test/users</c>).
    /// </summary>
    /// <param name="users">Identity's user manager.</param>
    /// <param name="store">The user store of the same scope as <paramref name="users"/>.</param>
    internal static async Task<IdentityResult> CreateUserAsync(
        UserManager<SampleUser> users,
        IUserStore<SampleUser> store,
        string email,
        string displayName,
        string password,
        string? authenticatorKey)
    {
        var user = new SampleUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            Balance = DemoUsers.StartingBalance,
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded || authenticatorKey is null)
        {
            return result;
        }

        // Identity's public store interface for the key, as UserManager.ResetAuthenticatorKeyAsync uses it, but with the
        // documented key instead of a random one; then the same save (a new security stamp, as a key change gets).
        if (!users.SupportsUserAuthenticatorKey || store is not IUserAuthenticatorKeyStore<SampleUser> keys)
        {
            throw new NotSupportedException("The user store cannot keep authenticator keys (IUserAuthenticatorKeyStore).");
        }

        await keys.SetAuthenticatorKeyAsync(user, authenticatorKey, CancellationToken.None);
        result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            return result;
        }

        if (!string.Equals(await users.GetAuthenticatorKeyAsync(user), authenticatorKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The authenticator key of {email} was not saved.");
        }

        return await users.SetTwoFactorEnabledAsync(user, true);
    }

    private static async Task EnsureUserAsync(UserManager<SampleUser> users, IUserStore<SampleUser> store, string email, string displayName, string password, string? authenticatorKey)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var result = await CreateUserAsync(users, store, email, displayName, password, authenticatorKey);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo users failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
