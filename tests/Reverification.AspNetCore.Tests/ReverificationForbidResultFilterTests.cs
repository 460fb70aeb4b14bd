using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// The result filter that turns the bare <see cref="ForbidResult"/> of MVC's <c>AuthorizeFilter</c> into the
/// reverification answer, read from the authorization context the handler kept in a
/// <see cref="ReverificationFailureFeature"/>. Unit tests on a <see cref="ResultExecutingContext"/>; the same through a
/// real app is <c>MvcAuthorizeFilter_GlobalPolicyWithReverification_GivesTheSameAnswer</c> and
/// <c>HandlerThatRefusesEveryone_WinsOverTheAnswer_ThroughMvcAuthorizeFilter</c>.
/// </summary>
public class ReverificationForbidResultFilterTests
{
    private static readonly DateTimeOffset Now = TestApp.Start;

    [Fact]
    public async Task OnResultExecutionAsync_OnlyReverificationPending_ReplacesTheResultWithTheAnswer()
    {
        using var services = Services();
        var (context, forbid) = Executing(services, Pending(new ReverificationRequirement("strict")));

        await Run(services, context);

        Assert.NotSame(forbid, context.Result);
        var http = context.HttpContext;
        await context.Result.ExecuteResultAsync(context);
        Assert.Equal(StatusCodes.Status403Forbidden, http.Response.StatusCode);
        Assert.Equal("application/json", http.Response.ContentType);
        Assert.Equal(Answer.Body("strict"), Body(http));
        Assert.Equal(Answer.Challenge(600), Assert.Single(http.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task OnResultExecutionAsync_SeveralReverificationLevelsPending_AnswersTheMostDemanding()
    {
        using var services = Services();
        var (context, _) = Executing(services, Pending(new ReverificationRequirement("moderate"), new ReverificationRequirement("strict_mfa")));

        await Run(services, context);

        await context.Result.ExecuteResultAsync(context);
        Assert.Equal(Answer.Body("strict_mfa"), Body(context.HttpContext));
    }

    [Fact]
    public async Task OnResultExecutionAsync_FailCalled_LeavesTheForbidResult()
    {
        using var services = Services();
        var authorization = Pending(new ReverificationRequirement("strict"));
        authorization.Fail();
        var (context, forbid) = Executing(services, authorization);

        await Run(services, context);

        Assert.Same(forbid, context.Result);
    }

    [Fact]
    public async Task OnResultExecutionAsync_AnotherRequirementPendingToo_LeavesTheForbidResult()
    {
        using var services = Services();
        var (context, forbid) = Executing(services, Pending(new ReverificationRequirement("strict"), new RolesAuthorizationRequirement(["admin"])));

        await Run(services, context);

        Assert.Same(forbid, context.Result);
    }

    [Fact]
    public async Task OnResultExecutionAsync_NoFeature_LeavesTheForbidResult()
    {
        using var services = Services();
        var (context, forbid) = Executing(services, feature: null);

        await Run(services, context);

        Assert.Same(forbid, context.Result);
    }

    [Fact]
    public async Task OnResultExecutionAsync_ResultNotAForbidResult_LeavesIt()
    {
        using var services = Services();
        var (context, _) = Executing(services, Pending(new ReverificationRequirement("strict")));
        var challenge = new ChallengeResult();
        context.Result = challenge;

        await Run(services, context);

        Assert.Same(challenge, context.Result);
    }

    private static ServiceProvider Services()
        => new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
            .AddReverification()
            .BuildServiceProvider();

    /// <summary>What the authorization handler leaves when the requirements are still pending: a stale, signed-in user.</summary>
    private static AuthorizationHandlerContext Pending(params IAuthorizationRequirement[] requirements)
        => new(requirements, Stale(), resource: null);

    private static ClaimsPrincipal Stale()
        => TestTokens.Principal(
            TestTokens.Claim("f1_verified_at", Now.AddMinutes(-30).ToUnixTimeSeconds()),
            TestTokens.Claim("f2_verified_at", Now.AddMinutes(-30).ToUnixTimeSeconds()));

    private static (ResultExecutingContext Context, ForbidResult Forbid) Executing(IServiceProvider services, AuthorizationHandlerContext? feature)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        if (feature is not null)
        {
            http.User = feature.User;
            http.Features.Set(new ReverificationFailureFeature(feature));
        }

        var forbid = new ForbidResult();
        var action = new ActionContext(http, new RouteData(), new ActionDescriptor());
        return (new ResultExecutingContext(action, [], forbid, controller: new object()), forbid);
    }

    /// <summary>Runs the filter; it always calls the rest of the pipeline, whatever it decides.</summary>
    private static async Task Run(IServiceProvider services, ResultExecutingContext context)
    {
        var filter = services.GetRequiredService<ReverificationForbidResultFilter>();
        var nextCalls = 0;
        await filter.OnResultExecutionAsync(context, () =>
        {
            nextCalls++;
            return Task.FromResult(new ResultExecutedContext(context, context.Filters, context.Result, context.Controller));
        });
        Assert.Equal(1, nextCalls);
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
