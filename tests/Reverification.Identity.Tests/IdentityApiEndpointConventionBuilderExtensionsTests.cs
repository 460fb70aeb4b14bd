using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;
using static Reverification.Identity.Tests.Infrastructure.ReverificationAssert;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>MapIdentityApi(...).RequireReverificationForAccountChanges(level)</c> protects the state-changing <c>/manage</c>
/// endpoints (POST) and leaves reads and the other endpoints alone.
/// </summary>
public class IdentityApiEndpointConventionBuilderExtensionsTests
{
    [Fact]
    public async Task ManagePosts_StaleSignIn_AskForReverificationButGetInfoDoesNot()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        app.Time.Advance(TimeSpan.FromMinutes(11));

        var password = await session.PostJsonAsync("/guarded/manage/info", new { oldPassword = app.PasswordOnly.Password, newPassword = "Another-Horse-7" });
        var email = await session.PostJsonAsync("/guarded/manage/info", new { newEmail = "new@example.com" });
        var twoFactor = await session.PostJsonAsync("/guarded/manage/2fa", new { resetRecoveryCodes = true });
        var status = await session.PostJsonAsync("/guarded/manage/2fa", new { });
        var info = await session.GetAsync("/guarded/manage/info");

        await RequiredAsync(password, "strict");
        await RequiredAsync(email, "strict");
        await RequiredAsync(twoFactor, "strict");
        await RequiredAsync(status, "strict");
        await PassedAsync(info);
        Assert.True(await app.WithUserAsync(app.PasswordOnly, static (users, user) => users.CheckPasswordAsync(user, IdentityTestDatabase.Password)));
    }

    [Fact]
    public async Task ManagePosts_FreshSignIn_Pass()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);

        var status = await session.PostJsonAsync("/guarded/manage/2fa", new { });

        await PassedAsync(status);
        Assert.False(string.IsNullOrEmpty((await status.Content.ReadFromJsonAsync<TwoFactorStatus>())?.SharedKey));
    }

    [Fact]
    public async Task ManagePosts_LevelChosenByTheApp_IsTheLevelAsked()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        app.Time.Advance(TimeSpan.FromMinutes(30));

        await RequiredAsync(await session.PostJsonAsync("/guarded-mfa/manage/2fa", new { }), "strict_mfa");
        await PassedAsync(await session.PostJsonAsync("/guarded-moderate/manage/2fa", new { }));
        await RequiredAsync(await session.PostJsonAsync("/guarded/manage/2fa", new { }), "strict");
    }

    [Fact]
    public async Task OtherEndpoints_AnonymousCaller_AreNotProtected()
    {
        await using var app = await StartAsync();
        using var session = app.CreateSession();

        var login = await session.PostJsonAsync("/guarded/login", new { email = app.PasswordOnly.Email, password = app.PasswordOnly.Password });
        var manage = await session.PostJsonAsync("/guarded/manage/2fa", new { });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, manage.StatusCode);
    }

    [Fact]
    public void RequireReverificationForAccountChanges_ManagePrefix_ProtectsOnlyTheManagePosts()
    {
        var app = Build(addReverification: true);
        app.MapGroup("/manage").MapIdentityApi<TestUser>().RequireReverificationForAccountChanges();

        var protectedEndpoints = Endpoints(app)
            .Where(static e => e.Metadata.GetOrderedMetadata<RequireReverificationAttribute>().Count > 0)
            .Select(static e => $"{string.Join(',', e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)} {e.RoutePattern.RawText}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["POST /manage/manage/2fa", "POST /manage/manage/info"], protectedEndpoints);
    }

    [Fact]
    public void RequireReverificationForAccountChanges_WithoutAddReverification_FailsWhenEndpointsAreBuilt()
    {
        var app = Build(addReverification: false);
        app.MapIdentityApi<TestUser>().RequireReverificationForAccountChanges();

        var error = Assert.Throws<InvalidOperationException>(() => Endpoints(app));

        Assert.Contains("reverification services are not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireReverificationForAccountChanges_InvalidLevelName_Throws()
    {
        var app = Build(addReverification: true);

        Assert.Throws<ArgumentException>(() => app.MapIdentityApi<TestUser>().RequireReverificationForAccountChanges(""));
    }

    private static Task<IdentityTestApp> StartAsync()
        => IdentityTestApp.StartAsync(
            IdentityTestMode.Bearer,
            endpoints: static app =>
            {
                app.MapGroup("/guarded").MapIdentityApi<TestUser>().RequireReverificationForAccountChanges();
                app.MapGroup("/guarded-mfa").MapIdentityApi<TestUser>().RequireReverificationForAccountChanges(ReverificationLevel.StrictMfaName);
                app.MapGroup("/guarded-moderate").MapIdentityApi<TestUser>().RequireReverificationForAccountChanges(ReverificationLevel.ModerateName);
            });

    private static WebApplication Build(bool addReverification)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddDbContext<TestDbContext>(static o => o.UseSqlite("DataSource=:memory:"));
        builder.Services.AddIdentityApiEndpoints<TestUser>().AddEntityFrameworkStores<TestDbContext>();
        if (addReverification)
        {
            builder.Services.AddIdentityReverification<TestUser>();
        }

        return builder.Build();
    }

    private static List<RouteEndpoint> Endpoints(WebApplication app)
        => [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(static d => d.Endpoints).OfType<RouteEndpoint>()];

    private sealed record TwoFactorStatus(string? SharedKey);
}
