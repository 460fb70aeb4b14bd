using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;
using Reverification.Identity.Tests.Infrastructure.Pages;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>[RequireReverification]</c> on a routable component, on the render paths that are HTTP requests: static SSR (a
/// browser navigation) and Blazor's enhanced navigation (a <c>fetch</c> for the next page). The razor components
/// endpoint carries the page's attributes, so the server's authorization enforces the level before anything renders.
/// Real Identity cookies; interactive navigation is the guard's (bUnit tests in Reverification.Blazor.Tests).
/// </summary>
public class RazorComponentPageTests
{
    private static Task<IdentityTestApp> StartAsync(string? reverifyPath = null) => IdentityTestApp.StartAsync(
        services: s =>
        {
            s.AddRazorComponents();
            if (reverifyPath is not null)
            {
                s.Configure<ReverificationOptions>(o => o.ReverifyPath = reverifyPath);
            }
        },
        endpoints: app =>
        {
            app.UseAntiforgery();
            app.MapRazorComponents<TestRoot>();
        });

    /// <summary>A top-level page navigation, as a browser sends it.</summary>
    private static HttpRequestMessage Navigation(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return request;
    }

    /// <summary>Blazor's enhanced navigation: a same-origin <c>fetch</c> for the next page's HTML.</summary>
    private static HttpRequestMessage EnhancedNavigation(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/html; blazor-enhanced-nav=on");
        request.Headers.Add("Sec-Fetch-Mode", "cors");
        return request;
    }

    [Fact]
    public async Task StaticSsr_Fresh_RendersThePage()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(Navigation("/protected-page"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ProtectedPage.Content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The page rendered by a host endpoint without its attributes (a <c>_Host</c> fallback, a
    /// <c>RazorComponentResult</c>): the server's authorization never saw the page's level, and the guard, with the
    /// server's check registered (<c>AddReverificationBlazorServer</c>), checks the request's user before it renders.
    /// </summary>
    private static Task<IdentityTestApp> StartHostedAsync() => IdentityTestApp.StartAsync(
        services: s =>
        {
            s.AddRazorComponents();
            s.AddReverificationBlazorServer<TestUser>();
        },
        endpoints: app =>
        {
            app.UseAntiforgery();
            app.MapGet("/protected-page", () => new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<GuardedHostRoot>());
        });

    [Fact]
    public async Task HostPageWithoutThePagesAttributes_Stale_ThePlaceholderNotThePage()
    {
        await using var app = await StartHostedAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(Navigation("/protected-page"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProtectedPage.Content, body, StringComparison.Ordinal);
        Assert.Contains("reverification-guard-checking", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostPageWithoutThePagesAttributes_Fresh_RendersThePage()
    {
        await using var app = await StartHostedAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(Navigation("/protected-page"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ProtectedPage.Content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticSsr_Stale_TheReverificationAnswerNotThePage()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(Navigation("/protected-page"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ProtectedPage.Content, body, StringComparison.Ordinal);
        Assert.Contains("\"reverification\":\"strict\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticSsr_StaleWithReverifyPath_RedirectedToTheAppsReverifyPage()
    {
        await using var app = await StartAsync(reverifyPath: "/account/reverify");
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(Navigation("/protected-page?tab=2"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/reverify?returnUrl=%2Fprotected-page%3Ftab%3D2&level=strict", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task EnhancedNavigation_Stale_JsonAnswerNotThePage()
    {
        // Blazor's enhanced navigation receives a non-HTML answer and loads the URL as a full page navigation, which
        // then gets the redirect above (or this answer): the protected page is never rendered.
        await using var app = await StartAsync(reverifyPath: "/account/reverify");
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.SendAsync(EnhancedNavigation("/protected-page"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(ProtectedPage.Content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnhancedNavigation_AfterReverifying_RendersThePage()
    {
        await using var app = await StartAsync();
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.SendAsync(EnhancedNavigation("/protected-page"))).StatusCode);

        await app.ReverifyAsync(session, "password", new { password = app.PasswordOnly.Password });
        var response = await session.SendAsync(EnhancedNavigation("/protected-page"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ProtectedPage.Content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_NeverThePage()
    {
        await using var app = await StartAsync();
        using var session = app.CreateSession();

        var response = await session.SendAsync(Navigation("/protected-page"));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(ProtectedPage.Content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
