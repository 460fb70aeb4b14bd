using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Reverification.AspNetCore;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// A real app on TestServer: ASP.NET Core Identity on EF Core SQLite (a temporary file, so that two instances can share
/// one store), a <see cref="FakeTimeProvider"/>, the reverification endpoints under <c>/reverify</c>, and two protected
/// endpoints: <c>GET /strict</c> (<c>[RequireReverification("strict")]</c>) and <c>GET /strict-mfa</c>.
/// </summary>
/// <remarks>
/// Cookie mode signs in through <c>POST /test/sign-in</c> (<c>PasswordSignInAsync</c>, then
/// <c>TwoFactorAuthenticatorSignInAsync</c> when a code is given); bearer mode through <c>MapIdentityApi</c>'s
/// <c>POST /login</c>.
/// </remarks>
public sealed class IdentityTestApp : IAsyncDisposable
{
    /// <summary>
    /// How long ago <see cref="SignInLongAgoAsync"/> signs in: past <c>strict</c>'s 10 minutes, a whole number of
    /// 30-second authenticator steps.
    /// </summary>
    public static readonly TimeSpan LongAgo = TimeSpan.FromMinutes(11);

    /// <summary>
    /// Where the fake clock starts: <see cref="LongAgo"/> before the real time, so that the clock is close to the real
    /// time after <see cref="SignInLongAgoAsync"/> (Identity's lockout reads the system clock), and 10 seconds into a
    /// 30-second authenticator step, so that tests move between steps deterministically.
    /// </summary>
    public static DateTimeOffset DefaultStart()
        => DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 * 30) + 10) - LongAgo;

    private readonly bool _ownsDatabase;

    private IdentityTestApp(WebApplication app, FakeTimeProvider time, IdentityTestDatabase database, IdentityTestMode mode, bool ownsDatabase)
    {
        App = app;
        Time = time;
        Started = time.GetUtcNow();
        Database = database;
        Mode = mode;
        _ownsDatabase = ownsDatabase;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public FakeTimeProvider Time { get; }

    /// <summary>Where this app's fake clock started (<see cref="DefaultStart"/> unless the test gave a start).</summary>
    public DateTimeOffset Started { get; }

    public IdentityTestDatabase Database { get; }

    public IdentityTestMode Mode { get; }

    public SeededUser PasswordOnly => Database.PasswordOnly;

    public SeededUser TwoFactor => Database.TwoFactor;

    /// <summary>
    /// Starts an app. Given a <paramref name="database"/> another app already uses, the two share the store and the
    /// data-protection keys; otherwise the app creates its own and deletes it when disposed.
    /// </summary>
    public static async Task<IdentityTestApp> StartAsync(
        IdentityTestMode mode = IdentityTestMode.Cookie,
        IdentityTestDatabase? database = null,
        Action<IdentityReverificationOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<IdentityOptions>? identity = null,
        DateTimeOffset? start = null,
        Action<WebApplication>? endpoints = null,
        Action<RouteGroupBuilder>? reverify = null)
    {
        var ownsDatabase = database is null;
        database ??= new IdentityTestDatabase();
        var time = new FakeTimeProvider(start ?? DefaultStart());
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddDbContext<TestDbContext>(o => o.UseSqlite(database.ConnectionString));
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(database.KeysDirectory))
            .SetApplicationName("Reverification.Identity.Tests");

        void ConfigureIdentity(IdentityOptions o)
        {
            o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            identity?.Invoke(o);
        }

        if (mode == IdentityTestMode.Cookie)
        {
            builder.Services.AddIdentity<TestUser, IdentityRole>(ConfigureIdentity)
                .AddEntityFrameworkStores<TestDbContext>()
                .AddDefaultTokenProviders();
        }
        else
        {
            builder.Services.AddIdentityApiEndpoints<TestUser>(ConfigureIdentity)
                .AddEntityFrameworkStores<TestDbContext>();
        }

        builder.Services.AddAuthorization();
        builder.Services.AddReverification().AddIdentityReverification<TestUser>(configure);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var group = app.MapReverificationEndpoints<TestUser>();
        reverify?.Invoke(group);
        app.MapGet("/strict", [RequireReverification("strict")] () => "strict ok");
        app.MapGet("/strict-mfa", [RequireReverification("strict_mfa")] () => "strict_mfa ok");
        if (mode == IdentityTestMode.Cookie)
        {
            app.MapPost("/test/sign-in", SignInEndpointAsync);
        }
        else
        {
            app.MapIdentityApi<TestUser>();
        }

        endpoints?.Invoke(app);
        await app.StartAsync();
        if (!database.IsSeeded)
        {
            await SeedAsync(app.Services, database);
        }

        return new IdentityTestApp(app, time, database, mode, ownsDatabase);
    }

    /// <summary>A new client of this app with no cookie and no token.</summary>
    public TestSession CreateSession() => new(App.GetTestServer().CreateHandler(), App.GetTestServer().BaseAddress);

    /// <summary>The current authenticator code of <paramref name="user"/>, or the code <paramref name="steps"/> time steps away.</summary>
    public string Code(SeededUser user, int steps = 0)
    {
        var totp = new Totp(Base32Encoding.ToBytes(user.AuthenticatorKey!));
        return totp.ComputeTotp(Time.GetUtcNow().UtcDateTime.AddSeconds(30 * steps));
    }

    /// <summary>
    /// Signs <paramref name="user"/> in with the password and, when given, an authenticator code (the app's own
    /// sign-in: <c>TwoFactorAuthenticatorSignInAsync</c>); fails the test if sign-in fails.
    /// </summary>
    public async Task<TestSession> SignInAsync(SeededUser user, string? twoFactorCode = null)
    {
        var session = CreateSession();
        var response = await TrySignInAsync(session, user, twoFactorCode);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (Mode == IdentityTestMode.Bearer)
        {
            await session.UseTokensFromAsync(response);
        }

        return session;
    }

    /// <summary>
    /// Signs in as <see cref="SignInAsync"/> does, then moves the clock <see cref="LongAgo"/> on: a sign-in records its
    /// factors (ReverificationSignInManager), so this is how a test starts from a session whose times no longer pass
    /// <c>strict</c>, as for a user who signed in a while ago.
    /// </summary>
    public async Task<TestSession> SignInLongAgoAsync(SeededUser user, string? twoFactorCode = null)
    {
        var session = await SignInAsync(user, twoFactorCode);
        Time.Advance(LongAgo);
        return session;
    }

    /// <summary>Tries to sign in on <paramref name="session"/>; returns the answer.</summary>
    public Task<HttpResponseMessage> TrySignInAsync(TestSession session, SeededUser user, string? twoFactorCode = null)
        => Mode == IdentityTestMode.Cookie
            ? session.PostJsonAsync("/test/sign-in", new SignInRequest(user.Email, user.Password, twoFactorCode))
            : session.PostJsonAsync("/login", new { email = user.Email, password = user.Password, twoFactorCode });

    /// <summary>
    /// Posts <paramref name="body"/> to <c>/reverify/{method}</c>; in bearer mode, a success's new token pair replaces
    /// the session's, as a client would.
    /// </summary>
    public async Task<HttpResponseMessage> ReverifyAsync(TestSession session, string method, object body)
    {
        var response = await session.PostJsonAsync($"/reverify/{method}", body);
        if (response.IsSuccessStatusCode && Mode == IdentityTestMode.Bearer)
        {
            await session.UseTokensFromAsync(response);
        }

        return response;
    }

    /// <summary>Runs <paramref name="action"/> with a scoped <see cref="UserManager{TUser}"/> and the user.</summary>
    public async Task<T> WithUserAsync<T>(SeededUser user, Func<UserManager<TestUser>, TestUser, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TestUser>>();
        var found = await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException($"No user {user.Id}.");
        return await action(users, found);
    }

    public Task<int> AccessFailedCountAsync(SeededUser user) => WithUserAsync(user, static (users, u) => users.GetAccessFailedCountAsync(u));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_ownsDatabase)
        {
            Database.Dispose();
        }
    }

    private static async Task<IResult> SignInEndpointAsync(SignInRequest request, SignInManager<TestUser> signIn)
    {
        var user = await signIn.UserManager.FindByEmailAsync(request.Email);
        if (user is null)
        {
            return Results.Unauthorized();
        }

        var result = await signIn.PasswordSignInAsync(user, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor && request.TwoFactorCode is { } code)
        {
            result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        }

        return result.Succeeded ? Results.Ok() : Results.Problem(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
    }

    private static async Task SeedAsync(IServiceProvider services, IdentityTestDatabase database)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TestUser>>();

        database.PasswordOnly = await CreateAsync(users, "alice@example.com", twoFactor: false);
        database.TwoFactor = await CreateAsync(users, "bob@example.com", twoFactor: true);
        database.IsSeeded = true;
    }

    private static async Task<SeededUser> CreateAsync(UserManager<TestUser> users, string email, bool twoFactor)
    {
        var user = new TestUser { UserName = email, Email = email, EmailConfirmed = true };
        Check(await users.CreateAsync(user, IdentityTestDatabase.Password));
        string? key = null;
        IReadOnlyList<string> codes = [];
        if (twoFactor)
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user);
            Check(await users.SetTwoFactorEnabledAsync(user, true));
            codes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!];
        }

        return new SeededUser(user.Id, email, IdentityTestDatabase.Password, key, codes);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(static e => e.Description)));
        }
    }

    private sealed record SignInRequest(string Email, string Password, string? TwoFactorCode);
}
