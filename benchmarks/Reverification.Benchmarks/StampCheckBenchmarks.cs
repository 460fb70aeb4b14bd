using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Internal;

namespace Reverification.Benchmarks;

/// <summary>
/// The per-request cost of Reverification.Identity's security-stamp check, on ASP.NET Core Identity's EF Core store
/// over SQLite (in memory, one open connection). Each operation is what one protected request does: a request scope,
/// then authorization of <c>[Authorize]</c> + <c>strict</c> through the real <see cref="IAuthorizationService"/> on a
/// principal with fresh, stamp-bound times, without the check (the baseline) and with it (the claims transformation:
/// one user read by id through <see cref="UserManager{TUser}"/>, one HMAC). The third row is a principal without
/// verification times, which the check lets through without a store read; the fourth, the user read alone, for scale.
/// </summary>
[MemoryDiagnoser]
public class StampCheckBenchmarks
{
    private SqliteConnection _connection = null!;
    private ServiceProvider _services = null!;
    private AuthorizationPolicy _strict = null!;
    private ClaimsPrincipal _withTimes = null!;
    private ClaimsPrincipal _withoutTimes = null!;
    private string _userId = null!;

    [GlobalSetup]
    public void Setup()
    {
        _connection = new SqliteConnection("DataSource=:memory:");
        _connection.Open();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<BenchIdentityDbContext>(o => o.UseSqlite(_connection));
        services.AddIdentityCore<IdentityUser>().AddEntityFrameworkStores<BenchIdentityDbContext>();
        services.AddIdentityReverification<IdentityUser>();
        _services = services.BuildServiceProvider();
        _strict = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strict").Build();

        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<BenchIdentityDbContext>().Database.EnsureCreated();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser("bench@example.com") { Email = "bench@example.com" };
        if (!users.CreateAsync(user).GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("The benchmark user was not created.");
        }

        _userId = user.Id;
        var claims = _services.GetRequiredService<IdentityVerificationClaims>();
        var recorded = claims.CreateAsync(users, user, ReverificationFactors.MultiFactor, current: null).GetAwaiter().GetResult();
        _withTimes = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), .. recorded], "Identity.Application"));
        _withoutTimes = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "Identity.Application"));

        if (!WithoutStampCheck().GetAwaiter().GetResult().Succeeded || !WithStampCheck().GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("A pass-path benchmark does not pass.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _connection.Dispose();
    }

    [Benchmark(Baseline = true, Description = "strict, no stamp check")]
    public async Task<AuthorizationResult> WithoutStampCheck()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(_withTimes, null, _strict);
    }

    [Benchmark(Description = "strict, stamp check (one SQLite user read)")]
    public async Task<AuthorizationResult> WithStampCheck()
    {
        await using var scope = _services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<IClaimsTransformation>().TransformAsync(_withTimes);
        return await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, null, _strict);
    }

    [Benchmark(Description = "strict, stamp check, principal without times")]
    public async Task<AuthorizationResult> WithStampCheckNoTimes()
    {
        await using var scope = _services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<IClaimsTransformation>().TransformAsync(_withoutTimes);
        return await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, null, _strict);
    }

    [Benchmark(Description = "the user read alone (scope, UserManager.FindByIdAsync)")]
    public async Task<IdentityUser?> UserReadAlone()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByIdAsync(_userId);
    }

    /// <summary>Identity's EF Core schema.</summary>
    public sealed class BenchIdentityDbContext(DbContextOptions<BenchIdentityDbContext> options) : IdentityDbContext<IdentityUser>(options);
}
