using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore.Tests.Components;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// Reverification.Blazor's <c>[RequireReverificationPage]</c> on the HTTP requests that render a page (static SSR,
/// prerendering, enhanced navigation): the razor components endpoint carries the attribute, and the server enforces it
/// exactly as its own <c>[RequireReverification]</c>. Real JWT bearer tokens; the router has
/// <see cref="Reverification.Blazor.ReverificationGuard"/> around its route view, rendered statically.
/// </summary>
public sealed class BlazorPageRequirementTests
{
    private static Task<TestApp> StartAsync(Action<ReverificationOptions>? configure = null, bool addReverification = true) => TestApp.StartAsync(
        app =>
        {
            app.UseAntiforgery();
            app.MapRazorComponents<GuardedRoot>();
        },
        configure,
        services: s => s.AddRazorComponents(),
        addReverification: addReverification);

    private static string Fresh(TestApp app) => app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 1, 1));

    private static string Stale(TestApp app) => app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30));

    private static Action<HttpRequestMessage> Navigation => static request =>
    {
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
    };

    [Fact]
    public async Task StaticGet_Fresh_RendersThePage()
    {
        await using var app = await StartAsync();

        var response = await app.GetAsync("/wasm/strict", Fresh(app));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("StrictWebAssemblyPage content", html, StringComparison.Ordinal);
        Assert.DoesNotContain("reverification-guard", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticGet_Stale_TheReverificationAnswerNotThePage()
    {
        await using var app = await StartAsync();

        var response = await app.GetAsync("/wasm/strict", Stale(app));

        await Answer.AssertReverificationAsync(response, Answer.Body("strict"), 600);
    }

    [Fact]
    public async Task BrowserNavigation_StaleWithReverifyPath_RedirectedToTheAppsReverifyPage()
    {
        await using var app = await StartAsync(o => o.ReverifyPath = "/account/reverify");

        var response = await app.SendAsync(HttpMethod.Get, "/wasm/strict?tab=2", Stale(app), configure: Navigation);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/reverify?returnUrl=%2Fwasm%2Fstrict%3Ftab%3D2&level=strict", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task StaticGet_InlineLevel_AnsweredInline()
    {
        await using var app = await StartAsync();
        var now = app.Time.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/wasm/inline", app.Token(TestTokens.Timestamps(now, 30, 4)))).StatusCode);
        var response = await app.GetAsync("/wasm/inline", app.Token(TestTokens.Timestamps(now, 1, 6)));

        await Answer.AssertReverificationAsync(response, Answer.CustomBody("second_factor", "5"), 300);
    }

    [Fact]
    public async Task StaticGet_TwoLevels_BothMustPass_TheAnswerNamesTheMostDemanding()
    {
        await using var app = await StartAsync();
        var now = app.Time.GetUtcNow();

        // Fresh enough for lax, not for strict_mfa.
        var response = await app.GetAsync("/wasm/two-levels", app.Token(TestTokens.Timestamps(now, 20, 20)));

        await Answer.AssertReverificationAsync(response, Answer.Body("strict_mfa"), 600);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/wasm/two-levels", Fresh(app))).StatusCode);
    }

    [Fact]
    public async Task StaticGet_Anonymous_TheNormalChallengeNeverThePage()
    {
        await using var app = await StartAsync();

        var response = await app.GetAsync("/wasm/strict");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("StrictWebAssemblyPage content", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageWithoutRequirement_Renders()
    {
        await using var app = await StartAsync();

        var response = await app.GetAsync("/wasm/plain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("PlainWebAssemblyPage content", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerWithoutTheLibrary_ForbiddenNeverThePage()
    {
        // Nothing recognises the page's requirement: no handler succeeds it, and the authorization middleware forbids.
        await using var app = await StartAsync(addReverification: false);

        foreach (var token in new[] { Fresh(app), Stale(app) })
        {
            var response = await app.GetAsync("/wasm/strict", token);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("StrictWebAssemblyPage content", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
