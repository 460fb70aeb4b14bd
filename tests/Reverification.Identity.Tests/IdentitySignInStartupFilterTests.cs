using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>
/// Sign-in recording and revocation are never turned off silently by a registration made after
/// <c>AddIdentityReverification</c>: the app fails at start-up with a message that says what to change.
/// </summary>
public class IdentitySignInStartupFilterTests
{
    [Fact]
    public async Task Start_AppSignInManagerRegisteredAfter_FailsWithMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie, services: static s => s.AddScoped<SignInManager<TestUser>, AppSignInManager>()));

        Assert.Contains("Derive AppSignInManager from ReverificationSignInManager<TestUser>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AppSignInManagerDerivedFromReverificationSignInManager_StartsAndRecords()
    {
        await using var app = await IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie, services: static s => s.AddScoped<SignInManager<TestUser>, DerivedSignInManager>());
        using var session = await app.SignInAsync(app.PasswordOnly);

        await PassedAsync(await session.GetAsync("/strict"));
    }

    [Fact]
    public async Task Start_AppClaimsTransformationRegisteredAfter_FailsWithMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie, services: static s => s.AddTransient<IClaimsTransformation, AddsAClaim>()));

        Assert.Contains("Register the app's IClaimsTransformation before calling AddIdentityReverification", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AnotherClaimsFormat_FailsWithMessage()
    {
        // The options validator (ValidateOnStart) says it first, before the start-up filter's own check runs.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie, services: static s => s.AddReverification(static o => o.UseOpenIdConnect())));

        Assert.Contains("Reverification.Identity records verifications in the library's timestamp claims", error.Message, StringComparison.Ordinal);
        Assert.Contains("Call options.UseTimestamps()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddIdentityReverification_AppClaimsTransformationRegisteredBefore_RunsFirst()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<TestDbContext>(static o => o.UseSqlite("DataSource=:memory:"));
        services.AddIdentityCore<TestUser>().AddEntityFrameworkStores<TestDbContext>();
        services.AddTransient<IClaimsTransformation, AddsAClaim>();
        services.AddIdentityReverification<TestUser>();
        services.AddIdentityReverification<TestUser>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        var transformation = scope.ServiceProvider.GetRequiredService<IClaimsTransformation>();
        var result = await transformation.TransformAsync(new ClaimsPrincipal(new ClaimsIdentity("Test")));

        Assert.Equal("IdentityStampClaimsTransformation`1", transformation.GetType().Name);
        Assert.Single(services, static d => d.ServiceType == typeof(IClaimsTransformation) && !d.IsKeyedService);
        Assert.Equal(["transformed"], result.FindAll("app").Select(static c => c.Value));
    }

    private sealed class AddsAClaim : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            copy.Identities.First().AddClaim(new Claim("app", "transformed"));
            return Task.FromResult(copy);
        }
    }

    private sealed class AppSignInManager(
        UserManager<TestUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<TestUser> claimsFactory,
        IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<TestUser>> logger, IAuthenticationSchemeProvider schemes,
        IUserConfirmation<TestUser> confirmation)
        : SignInManager<TestUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation);

    private sealed class DerivedSignInManager(
        UserManager<TestUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<TestUser> claimsFactory,
        IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<TestUser>> logger, IAuthenticationSchemeProvider schemes,
        IUserConfirmation<TestUser> confirmation, ReverificationRecorder recorder)
        : ReverificationSignInManager<TestUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation, recorder);
}
