using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// Each rule of the start-up check, through a real app's start: levels named anywhere the library accepts them exist,
/// Razor Pages handler methods carry no requirement (Razor Pages would ignore it), and the result handler is wrapped.
/// Each test asserts the message the developer reads.
/// </summary>
public sealed class ReverificationStartupFilterTests
{
    // Levels on endpoints.

    [Fact]
    public async Task Start_UnknownLevelFromTheEndpointExtension_FailsNamingEndpointAndLevelAndHowToRegisterIt()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapPost("/transfer", () => "x").RequireReverification("transfer_level").WithDisplayName("Transfer money")));

        Assert.StartsWith("Reverification is misconfigured:" + Environment.NewLine, ex.Message, StringComparison.Ordinal);
        Assert.Contains(
            "Endpoint 'Transfer money' requires reverification level 'transfer_level'. No reverification level is named 'transfer_level'. "
            + "Use one of strict_mfa, strict, moderate, lax, or register it with AddReverification(o => o.AddLevel(\"transfer_level\", ReverificationFactors.SecondFactor, 10)).",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LevelNameInTheWrongCase_SaysDidYouMean()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapPost("/close", () => "x").RequireReverification("Strict_MFA").WithDisplayName("Close account")));

        Assert.Contains(
            "Endpoint 'Close account' requires reverification level 'Strict_MFA'. No reverification level is named 'Strict_MFA'; did you mean 'strict_mfa'?",
            ex.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("AddLevel(\"Strict_MFA\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LevelNameOneEditFromAnAppLevel_SaysDidYouMeanIt()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapPost("/export", () => "x").RequireReverification("exprot").WithDisplayName("Export"),
            o => o.AddLevel("export", ReverificationFactors.SecondFactor, 5)));

        Assert.Contains("No reverification level is named 'exprot'; did you mean 'export'?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownLevelInAnAttributeOnAController_FailsNamingTheActionAndLevel()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(UnknownLevelController))));

        Assert.Contains(
            $"Endpoint '{typeof(UnknownLevelController).FullName}.Post ({typeof(UnknownLevelController).Assembly.GetName().Name})' requires reverification level 'typo_level'.",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AttributeOnAMethodThatIsNotAnAction_IsNotChecked()
    {
        // MVC never routes to a [NonAction] method, so its attribute protects nothing and hides nothing.
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(NonActionController)));

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/non-action", app.Token([]))).StatusCode);
    }

    [Fact]
    public async Task Start_UnknownLevelInAPolicyObjectOnTheEndpoint_Fails()
    {
        var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("sudo_level").Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/p", () => "p").RequireAuthorization(policy).WithDisplayName("Policy object")));

        Assert.Contains("Endpoint 'Policy object' requires reverification level 'sudo_level'.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownLevelInANamedPolicyOnTheEndpoint_FailsNamingEndpointPolicyAndLevel()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/p", () => "p").RequireAuthorization("sudo").WithDisplayName("Sudo page"),
            services: s => s.AddAuthorizationBuilder().AddPolicy("sudo", p => p.RequireReverification("nope"))));

        Assert.Contains("Endpoint 'Sudo page' (policy 'sudo') requires reverification level 'nope'.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NamedPolicyThatDoesNotExist_IsLeftToAuthorization()
    {
        // Not the library's to judge: ASP.NET Core reports a missing policy when it is used.
        await using var app = await TestApp.StartAsync(web => web.MapGet("/p", () => "p").RequireAuthorization("nowhere"));

        Assert.NotNull(app.App);
    }

    [Fact]
    public async Task Start_PresetsAppLevelsAndInlineLevelsEverywhere_Starts()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapPost("/a", () => "a").RequireReverification("strict_mfa").RequireReverification("export");
                web.MapPost("/b", () => "b").RequireReverification(ReverificationFactors.FirstFactor, 2.5);
                web.MapPost("/c", () => "c").RequireAuthorization("sudo");
                web.MapControllers();
            },
            o => o.AddLevel("export", ReverificationFactors.SecondFactor, 5),
            s =>
            {
                s.AddAuthorizationBuilder()
                    .AddPolicy("sudo", p => p.RequireReverification("moderate"))
                    .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("lax").Build())
                    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("export").Build());
                s.AddTestControllers(typeof(AccountController)).AddMvcOptions(o => o.Filters.Add(new AuthorizeFilter("sudo")));
            });

        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/b", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 2, null)))).StatusCode);
    }

    // Levels in app-wide policies.

    [Fact]
    public async Task Start_UnknownLevelInTheDefaultPolicy_Fails()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/", () => "x"),
            services: s => s.AddAuthorizationBuilder().SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strickt").Build())));

        Assert.Contains(
            "The default authorization policy requires reverification level 'strickt'. No reverification level is named 'strickt'; did you mean 'strict'?",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownLevelInTheFallbackPolicy_Fails()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/", () => "x"),
            services: s => s.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("sometimes").Build())));

        Assert.Contains("The fallback authorization policy requires reverification level 'sometimes'.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownLevelInAGlobalMvcAuthorizeFilter_FailsForThePolicyObjectAndTheNamedPolicy()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapControllers(),
            services: s =>
            {
                s.AddAuthorizationBuilder().AddPolicy("sudo", p => p.RequireReverification("named_typo"));
                s.AddTestControllers(typeof(AccountController)).AddMvcOptions(o =>
                {
                    o.Filters.Add(new AuthorizeFilter(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("object_typo").Build()));
                    o.Filters.Add(new AuthorizeFilter("sudo"));
                });
            }));

        Assert.Contains("A global MVC AuthorizeFilter requires reverification level 'object_typo'.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("A global MVC AuthorizeFilter (policy 'sudo') requires reverification level 'named_typo'.", ex.Message, StringComparison.Ordinal);
    }

    // Every problem at once, each once, each logged.

    [Fact]
    public async Task Start_SeveralProblems_AreAllListedOnceAndLoggedAsCritical()
    {
        var logs = new FakeLogCollector();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web =>
            {
                web.MapGet("/one", () => "x").RequireAuthorization("sudo").WithDisplayName("One");
                web.MapGet("/two", () => "x").RequireReverification("lax2").WithDisplayName("Two");
            },
            services: s => s.AddAuthorizationBuilder()
                .AddPolicy("sudo", p => p.RequireReverification("nope").RequireReverification("nope"))
                .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("nope").Build()),
            builderHook: b => b.Logging.AddProvider(new FakeLoggerProvider(logs))));

        string[] expected =
        [
            "The fallback authorization policy requires reverification level 'nope'.",
            "Endpoint 'One' (policy 'sudo') requires reverification level 'nope'.",
            "Endpoint 'Two' requires reverification level 'lax2'.",
        ];
        var lines = ex.Message.Split(Environment.NewLine);
        Assert.Equal("Reverification is misconfigured:", lines[0]);
        Assert.Equal(expected.Length, lines.Length - 1);
        foreach (var start in expected)
        {
            Assert.Single(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        }

        var records = logs.GetSnapshot().Where(static r => r.Id.Id == 5).ToList();
        Assert.Equal(expected.Length, records.Count);
        Assert.All(records, static r =>
        {
            Assert.Equal("ReverificationConfigurationError", r.Id.Name);
            Assert.Equal(LogLevel.Critical, r.Level);
            Assert.Equal("Reverification.AspNetCore.Startup", r.Category);
        });
    }

    // The result handler.

    [Fact]
    public async Task Start_ResultHandlerRegisteredAfterAddReverification_FailsSayingToRegisterItBefore()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/", () => "x"),
            builderHook: b => b.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, PlainResultHandler>()));

        Assert.Contains(
            $"The IAuthorizationMiddlewareResultHandler in use is {typeof(PlainResultHandler).FullName}, so reverification failures would be answered as plain 403s. "
            + "Register your own result handler before calling AddReverification(), which wraps it.",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ResultHandlerRemoved_FailsSayingItIsMissing()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/", () => "x"),
            builderHook: b => b.Services.RemoveAll<IAuthorizationMiddlewareResultHandler>()));

        Assert.Contains("The IAuthorizationMiddlewareResultHandler in use is missing", ex.Message, StringComparison.Ordinal);
    }

    // Blazor pages.

    [Fact]
    public async Task Start_UnknownLevelOnABlazorPageAttribute_FailsNamingTheEndpointAndLevel()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/statement", () => "x").WithMetadata(new Reverification.Blazor.RequireReverificationPageAttribute("stric")).WithDisplayName("Statement page")));

        Assert.Contains(
            "Endpoint 'Statement page' requires reverification level 'stric'. No reverification level is named 'stric'; did you mean 'strict'?",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProtectedPagesAllowAnonymous_FailsNamingEachPageAndWhatToRemove()
    {
        // AllowAnonymous() on MapRazorComponents: the server's authorization would not run for these pages' requests,
        // and ReverificationGuard shows a page on a static render because that authorization passed.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web =>
            {
                web.UseAntiforgery();
                web.MapRazorComponents<Components.GuardedRoot>().AllowAnonymous();
            },
            services: s => s.AddRazorComponents()));

        Assert.Contains(
            $"The page {typeof(Components.StrictWebAssemblyPage).FullName} requires reverification but allows anonymous access ([AllowAnonymous] on the page, or AllowAnonymous() on MapRazorComponents), "
            + "which turns the server's authorization off for its HTTP requests: a static render or a prerender would show it to a session that must verify again. "
            + "Remove [AllowAnonymous] from the page, or the AllowAnonymous() convention from its endpoint.",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains($"The page {typeof(Components.InlineWebAssemblyPage).FullName} requires reverification", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(Components.PlainWebAssemblyPage).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServerAttributeOnAComponentThatAllowsAnonymous_Fails()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapGet("/settings", () => "x").WithMetadata(
                new Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata(typeof(Components.PlainWebAssemblyPage)),
                new RequireReverificationAttribute("strict"),
                new AllowAnonymousAttribute())));

        Assert.Contains($"The page {typeof(Components.PlainWebAssemblyPage).FullName} requires reverification but allows anonymous access", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AllowAnonymousEndpointThatIsNotAComponent_NotRefused()
    {
        // On a minimal API, [AllowAnonymous] turns reverification off as it does [Authorize] (documented); only a page,
        // which the guard renders statically on the server's word, is refused.
        await using var app = await TestApp.StartAsync(
            web => web.MapGet("/public", () => "x").RequireReverification("strict").AllowAnonymous());

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/public")).StatusCode);
    }

    // Razor Pages.

    [Fact]
    public async Task Start_RazorPageHandlerMethodWithARequirement_FailsNamingPageHandlerAndWhereToPutIt()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages(o => o.RootDirectory = "/HandlerPages").AddApplicationPart(typeof(TestApp).Assembly)));

        Assert.Contains(
            "Razor Page '/Danger' requires reverification level 'strict' on its handler method DangerModel.OnPostDanger, which Razor Pages ignores "
            + "(it authorizes the page before it picks a handler), so the handler would run without reverification. "
            + "Put it on the PageModel class DangerModel instead (it then covers every handler of the page), "
            + "or move the handler to a page of its own whose PageModel class carries it.",
            ex.Message,
            StringComparison.Ordinal);

        // A [NonHandler] method never runs: its attribute is not reported.
        Assert.DoesNotContain("Helper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RazorPageHandlerMethodWithAnApproval_FailsNamingPageHandlerAndWhereToPutIt()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages(o => o.RootDirectory = "/HandlerPages").AddApplicationPart(typeof(TestApp).Assembly)));

        Assert.Contains(
            "Razor Page '/Danger' requires a one-time approval at level 'strict' on its handler method DangerModel.OnPostPay, which Razor Pages ignores "
            + "(it authorizes the page before it picks a handler), so the handler would run without the approval. "
            + "Put it on the PageModel class DangerModel instead",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HandlerMethodWithARequirementOnAPageWithoutAPageModel_SaysToPutItOnThePage()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages(o => o.RootDirectory = "/HandlerPages").AddApplicationPart(typeof(TestApp).Assembly)));

        Assert.Matches(
            "Razor Page '/Inline' requires reverification level 'first_factor within 2.5 minutes' on its handler method [A-Za-z0-9_]+\\.OnPostDelete, "
            + ".* Put it on the page itself instead, with @attribute \\[RequireReverification\\(\\.\\.\\.\\)\\] in its \\.cshtml file",
            ex.Message);
    }

    [Fact]
    public async Task Start_RazorPageLoadedAtRunTime_IsCheckedToo()
    {
        // Pages compiled at run time reach the endpoints as bare PageActionDescriptors: the check loads them.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => ((IEndpointRouteBuilder)web).DataSources.Add(new DefaultEndpointDataSource(
                UncompiledPage("/HandlerPages/Danger.cshtml", "/Danger"),
                UncompiledPage("/TypoPages/Typo.cshtml", "/Typo"))),
            services: s => s.AddRazorPages().AddApplicationPart(typeof(TestApp).Assembly)));

        Assert.Contains("Razor Page '/Danger' requires reverification level 'strict' on its handler method DangerModel.OnPostDanger", ex.Message, StringComparison.Ordinal);

        // The loaded page's own attributes are checked as well.
        Assert.Contains("Endpoint '/Typo' requires reverification level 'Strict_MFA'. No reverification level is named 'Strict_MFA'; did you mean 'strict_mfa'?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownLevelOnAPageModelClass_FailsNamingThePageAndSaysDidYouMean()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages(o => o.RootDirectory = "/TypoPages").AddApplicationPart(typeof(TestApp).Assembly)));

        Assert.Contains("Endpoint '/Typo' requires reverification level 'Strict_MFA'. No reverification level is named 'Strict_MFA'; did you mean 'strict_mfa'?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RazorPage_RequirementOnThePageModelClass_ProtectsEveryHandler()
    {
        // Where the message says to put it: every handler of the page, OnPostDanger included, is protected.
        await using var app = await TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages().AddApplicationPart(typeof(TestApp).Assembly));
        var now = app.Time.GetUtcNow();

        await Answer.AssertReverificationAsync(
            await app.SendAsync(HttpMethod.Post, "/Sudo?handler=Danger", app.Token(TestTokens.Timestamps(now, 120, 120))),
            Answer.Body("strict"),
            600);
        var fresh = await app.SendAsync(HttpMethod.Post, "/Sudo?handler=Danger", app.Token(TestTokens.Timestamps(now, 5, 5)));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("danger ran", await fresh.Content.ReadAsStringAsync());
    }

    private static RouteEndpoint UncompiledPage(string relativePath, string viewEnginePath)
    {
        var page = new PageActionDescriptor
        {
            RelativePath = relativePath,
            ViewEnginePath = viewEnginePath,
            DisplayName = viewEnginePath,
            AttributeRouteInfo = new AttributeRouteInfo { Template = viewEnginePath.TrimStart('/') },
            RouteValues = { ["page"] = viewEnginePath },
        };
        return new RouteEndpoint(
            static _ => Task.CompletedTask,
            RoutePatternFactory.Parse(viewEnginePath),
            0,
            new EndpointMetadataCollection(page),
            viewEnginePath);
    }

    private sealed class PlainResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
            => _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

[ApiController]
[Route("mvc/non-action")]
[Authorize]
public sealed class NonActionController : ControllerBase
{
    [HttpGet]
    public IActionResult Get() => Ok(Describe());

    [NonAction]
    [RequireReverification("typo_level")]
    public string Describe() => "non-action " + Request.Path;
}
