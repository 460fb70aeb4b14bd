using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// How reverification composes with the rest of ASP.NET Core authorization, and the options that shape the answer:
/// a real app on TestServer with real JwtBearer and signed tokens.
/// </summary>
public class ReverificationCompositionTests
{
    private static readonly string StrictBody = Answer.Body("strict");

    // Several levels on one endpoint: the answer names the one that demands the most, whatever the order.

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SeveralLevels_AnswerNamesTheMostDemanding_InEitherOrder(bool mostDemandingFirst)
    {
        await using var app = await TestApp.StartAsync(web =>
        {
            var mfaThenLax = web.MapPost("/a", () => "a");
            if (mostDemandingFirst)
            {
                mfaThenLax.RequireReverification("strict_mfa").RequireReverification("lax");
            }
            else
            {
                mfaThenLax.RequireReverification("lax").RequireReverification("strict_mfa");
            }

            // One factor each: the shorter max age demands more (first_factor within 5 beats second_factor within 60).
            var oneFactorEach = web.MapPost("/b", () => "b");
            if (mostDemandingFirst)
            {
                oneFactorEach.RequireReverification(ReverificationFactors.FirstFactor, 5).RequireReverification(ReverificationFactors.SecondFactor, 60);
            }
            else
            {
                oneFactorEach.RequireReverification(ReverificationFactors.SecondFactor, 60).RequireReverification(ReverificationFactors.FirstFactor, 5);
            }

            // Two factors beat a shorter max age: multi_factor within 60 beats strict (second_factor within 10).
            var twoFactors = web.MapPost("/c", () => "c");
            if (mostDemandingFirst)
            {
                twoFactors.RequireReverification(ReverificationFactors.MultiFactor, 60).RequireReverification("strict");
            }
            else
            {
                twoFactors.RequireReverification("strict").RequireReverification(ReverificationFactors.MultiFactor, 60);
            }
        });
        var now = app.Time.GetUtcNow();
        var twoDays = app.Token(TestTokens.Timestamps(now, 2880, 2880));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/a", twoDays), Answer.Body("strict_mfa"), 600);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/b", twoDays), Answer.CustomBody("first_factor", "5"), 300);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/c", twoDays), Answer.CustomBody("multi_factor", "60"), 3600);

        // Only the failing levels count: 30 minutes fails strict but passes multi_factor within 60.
        var thirtyMinutes = app.Token(TestTokens.Timestamps(now, 30, 30));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/c", thirtyMinutes), StrictBody, 600);
    }

    [Fact]
    public async Task Controller_MostDemandingLevelOnTheClass_IsNamedOverTheAction()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(StrictClassController)));
        var twoDays = app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 2880, 2880));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/mvc/strict-class", twoDays), StrictBody, 600);
    }

    // The app's own authorization handlers.

    [Fact]
    public async Task ScopedAuthorizationHandler_InDevelopment_StartsAndRunsOncePerRequest()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/p", () => "p").RequireAuthorization(p => p.AddRequirements(new PlanRequirement())).RequireReverification("strict"),
            services: s =>
            {
                s.AddScoped<ScopedDependency>();
                s.AddScoped<IAuthorizationHandler, ScopedPlanHandler>();
            });
        var now = app.Time.GetUtcNow();
        var stalePaid = TestTokens.Timestamps(now, 30, 30);
        stalePaid["plan"] = "paid";

        // The app's scoped handler runs once per request, with the request's own dependency; the deny path reads the
        // authorization result and never runs it a second time.
        ScopedPlanHandler.ForeignScopes = 0;
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/p", app.Token(stalePaid)), StrictBody, 600);
        await Answer.AssertPlainForbiddenAsync(await app.SendAsync(HttpMethod.Post, "/p", app.Token(TestTokens.Timestamps(now, 30, 30))));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/p", app.Token(stalePaid)), StrictBody, 600);
        Assert.Equal(0, ScopedPlanHandler.ForeignScopes);
        Assert.Equal(3, ScopedPlanHandler.Checks);
    }

    [Fact]
    public async Task ScopedResultHandler_RegisteredBefore_IsWrappedAndStarts()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/transfer", () => "done").RequireReverification("strict"),
            services: s =>
            {
                s.AddScoped<ScopedDependency>();
                s.AddScoped<IAuthorizationMiddlewareResultHandler, ScopedResultHandler>();
            });
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30))), StrictBody, 600);
    }

    [Fact]
    public async Task HandlerThatRefusesEveryone_WinsOverTheReverificationAnswer()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/transfer", () => "done").RequireReverification("strict"),
            services: s => s.AddSingleton<IAuthorizationHandler, LockedAccountHandler>());
        var now = app.Time.GetUtcNow();
        var staleLocked = TestTokens.Timestamps(now, 30, 30);
        staleLocked["locked"] = "true";

        // Reverifying would not help a locked account: the plain 403.
        await Answer.AssertPlainForbiddenAsync(await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(staleLocked)));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(now, 30, 30))), StrictBody, 600);
    }

    [Fact]
    public async Task HandlerThatRefusesEveryone_WinsOverTheAnswer_ThroughMvcAuthorizeFilter()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s =>
            {
                s.AddSingleton<IAuthorizationHandler, LockedAccountHandler>();
                s.AddTestControllers(typeof(AccountController)).AddMvcOptions(o =>
                    o.Filters.Add(new Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter(
                        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("moderate").Build())));
            });
        var now = app.Time.GetUtcNow();
        var staleLocked = TestTokens.Timestamps(now, 90, 90);
        staleLocked["locked"] = "true";
        await Answer.AssertPlainForbiddenAsync(await app.GetAsync("/mvc/open", app.Token(staleLocked)));
        await Answer.AssertReverificationAsync(await app.GetAsync("/mvc/open", app.Token(TestTokens.Timestamps(now, 90, 90))), Answer.Body("moderate"), 3600);
    }

    // The imperative answer.

    [Fact]
    public async Task Imperative_AnonymousCaller_GetsTheNormalChallenge_NotTheBody()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapControllers();
                web.MapPost("/payout", (HttpContext http) => http.HasReverified("strict") ? Results.Ok("paid") : ReverificationResults.Required("strict"));
            },
            services: s => s.AddTestControllers(typeof(OpenImperativeController)));
        foreach (var path in new[] { "/payout", "/mvc/open-imperative" })
        {
            var anonymous = await app.SendAsync(HttpMethod.Post, path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
            Assert.DoesNotContain("reverification-error", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, path, app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30))), StrictBody, 600);
        }
    }

    [Fact]
    public async Task Imperative_AnonymousCaller_WithoutADefaultChallengeScheme_Gets401()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(); // no default scheme
        builder.Services.AddReverification();
        await using var app = builder.Build();
        app.MapPost("/payout", (HttpContext http) => http.HasReverified("strict") ? Results.Ok("paid") : ReverificationResults.Required("strict"));
        await app.StartAsync();
        using var client = app.GetTestClient();

        var response = await client.PostAsync(new Uri("/payout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("reverification-error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imperative_HasReverifiedThenRequired_CountsTheDecisionOnce()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/payout", (HttpContext http) => http.HasReverified("strict") ? Results.Ok("paid") : ReverificationResults.Required("strict")).RequireAuthorization());
        using var checks = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            app.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Reverification.AspNetCore", "reverification.checks");

        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/payout", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30))), StrictBody, 600);

        Assert.Single(checks.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Imperative_MalformedClaims_ReachTheHookAsMalformed()
    {
        ReverificationOutcome? seen = null;
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/payout", (HttpContext http) => http.HasReverified("strict") ? Results.Ok("paid") : ReverificationResults.Required("strict")).RequireAuthorization(),
            o => o.OnRejected = (context, ct) =>
            {
                seen = context.Outcome;
                return new ValueTask(context.WriteDefaultBodyAsync(ct));
            });
        var now = app.Time.GetUtcNow();
        var malformed = app.Token(new() { ["f1_verified_at"] = "yesterday" });
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/payout", malformed), StrictBody, 600);
        Assert.Equal(ReverificationOutcome.MalformedClaims, seen);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/payout", app.Token(TestTokens.Timestamps(now, 30, 30))), StrictBody, 600);
        Assert.Equal(ReverificationOutcome.ReverificationRequired, seen);
    }

    // Options.

    [Fact]
    public async Task ClockSkew_Configured_DecidesHowFarInTheFutureATimeMayBe()
    {
        static Dictionary<string, object> ThreeMinutesAhead(DateTimeOffset now) => new() { ["f2_verified_at"] = now.AddMinutes(3).ToUnixTimeSeconds() };

        await using (var defaults = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict")))
        {
            // Default skew (1 minute): three minutes ahead is malformed.
            await Answer.AssertReverificationAsync(await defaults.SendAsync(HttpMethod.Post, "/transfer", defaults.Token(ThreeMinutesAhead(defaults.Time.GetUtcNow()))), StrictBody, 600);
        }

        await using var skewed = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict"), o => o.ClockSkew = TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await skewed.SendAsync(HttpMethod.Post, "/transfer", skewed.Token(ThreeMinutesAhead(skewed.Time.GetUtcNow())))).StatusCode);
    }

    [Fact]
    public async Task AddReverification_CalledTwice_LevelsFromBothCallsWork()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapPost("/a", () => "a").RequireReverification("a");
                web.MapPost("/b", () => "b").RequireReverification("b");
            },
            o => o.AddLevel("b", ReverificationFactors.FirstFactor, 2),
            s => s.AddReverification(o => o.AddLevel("a", ReverificationFactors.FirstFactor, 1)));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/b", app.Token(TestTokens.Timestamps(now, 1.5, null)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/a", app.Token(TestTokens.Timestamps(now, 1.5, null))), Answer.CustomBody("first_factor", "1"), 60);
    }

    // Levels a custom policy provider makes (the start-up check cannot know them: ReverificationStartupFilterTests).

    [Fact]
    public async Task UnknownLevel_FromACustomPolicyProvider_DeniesWithoutTheAnswerWhenItRuns()
    {
        // Policies a custom provider makes are only known when they run: the unknown level denies (plain 403).
        await using var app = await TestApp.StartAsync(
            web => web.MapGet("/p", () => "p").RequireAuthorization("dynamic:nope"),
            services: s => s.AddSingleton<IAuthorizationPolicyProvider, DynamicPolicyProvider>());
        await Answer.AssertPlainForbiddenAsync(await app.GetAsync("/p", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 1, 1))));
    }

    internal sealed class ScopedDependency;

    internal sealed class PlanRequirement : IAuthorizationRequirement;

    /// <summary>A scoped handler, as apps write when a handler needs a DbContext.</summary>
    internal sealed class ScopedPlanHandler(ScopedDependency dependency) : AuthorizationHandler<PlanRequirement>
    {
        public static int ForeignScopes;
        public static int Checks;

        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PlanRequirement requirement)
        {
            Interlocked.Increment(ref Checks);
            if (context.Resource is not HttpContext http || !ReferenceEquals(http.RequestServices.GetRequiredService<ScopedDependency>(), dependency))
            {
                Interlocked.Increment(ref ForeignScopes);
            }

            if (context.User.HasClaim("plan", "paid"))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    internal sealed class ScopedResultHandler(ScopedDependency dependency) : IAuthorizationMiddlewareResultHandler
    {
        private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
        {
            ArgumentNullException.ThrowIfNull(dependency);
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    /// <summary>Refuses every request of a locked account with <c>Fail()</c> and no reason.</summary>
    internal sealed class LockedAccountHandler : IAuthorizationHandler
    {
        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            if (context.User.HasClaim("locked", "true"))
            {
                context.Fail();
            }

            return Task.CompletedTask;
        }
    }

    internal sealed class DynamicPolicyProvider(Microsoft.Extensions.Options.IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
    {
        public override Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
            => policyName.StartsWith("dynamic:", StringComparison.Ordinal)
                ? Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification(policyName["dynamic:".Length..]).Build())
                : base.GetPolicyAsync(policyName);
    }
}

[ApiController]
[Route("mvc/strict-class")]
[RequireReverification("strict")]
public sealed class StrictClassController : ControllerBase
{
    [HttpPost]
    [RequireReverification("lax")]
    public IActionResult Post() => Ok("ok");
}

[ApiController]
[Route("mvc/open-imperative")]
public sealed class OpenImperativeController : ControllerBase
{
    [HttpPost]
    public IActionResult Post() => HttpContext.HasReverified("strict") ? Ok("ok") : ReverificationResults.Required("strict");
}
