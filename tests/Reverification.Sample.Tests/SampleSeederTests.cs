using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Sample.Data;

namespace Reverification.Sample.Tests;

/// <summary>The demo users as docs/sample.md documents them, seeded through Identity's public APIs.</summary>
public sealed class SampleSeederTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        // One open in-memory database for the test, disposed with the services.
        services.AddSingleton(_ =>
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            return connection;
        });
        services.AddDbContext<SampleDbContext>((sp, o) => o.UseSqlite(sp.GetRequiredService<SqliteConnection>()));
        services.AddIdentityCore<SampleUser>(o => o.User.RequireUniqueEmail = true)
            .AddEntityFrameworkStores<SampleDbContext>()
            .AddTokenProvider<AuthenticatorTokenProvider<SampleUser>>(TokenOptions.DefaultAuthenticatorProvider);
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task SeedAsync_UserWithAuthenticator_HasTheDocumentedSecretAndItsCodesWork()
    {
        await SampleSeeder.SeedAsync(_services);

        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SampleUser>>();
        var alice = await users.FindByEmailAsync(DemoAccount.TotpEmail);
        Assert.NotNull(alice);
        Assert.True(await users.CheckPasswordAsync(alice, DemoAccount.TotpPassword));
        Assert.True(alice.TwoFactorEnabled);
        Assert.Equal(DemoAccount.TotpSecret, await users.GetAuthenticatorKeyAsync(alice));
        Assert.True(await users.VerifyTwoFactorTokenAsync(alice, TokenOptions.DefaultAuthenticatorProvider, DemoAccount.CodeAt(DemoAccount.TotpSecret, DateTimeOffset.UtcNow)));
        Assert.False(await users.VerifyTwoFactorTokenAsync(alice, TokenOptions.DefaultAuthenticatorProvider, DemoAccount.WrongCode(DemoAccount.TotpSecret, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task SeedAsync_PasswordOnlyUser_HasNoSecondFactor()
    {
        await SampleSeeder.SeedAsync(_services);

        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SampleUser>>();
        var bob = await users.FindByEmailAsync(DemoAccount.PasswordOnlyEmail);
        Assert.NotNull(bob);
        Assert.True(await users.CheckPasswordAsync(bob, DemoAccount.PasswordOnlyPassword));
        Assert.False(bob.TwoFactorEnabled);
        Assert.Null(await users.GetAuthenticatorKeyAsync(bob));
    }

    [Fact]
    public async Task SeedAsync_Twice_KeepsTheUsersAsTheyAre()
    {
        await SampleSeeder.SeedAsync(_services);
        await SampleSeeder.SeedAsync(_services);

        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SampleUser>>();
        Assert.Equal(2, await users.Users.CountAsync());
        Assert.Equal(DemoAccount.TotpSecret, await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(DemoAccount.TotpEmail))!));
    }
}
