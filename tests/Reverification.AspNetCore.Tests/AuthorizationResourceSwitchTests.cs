using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>Tests that change a process-wide AppContext switch: run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(AppContextSwitches), DisableParallelization = true)]
public sealed class AppContextSwitches;

[Collection(nameof(AppContextSwitches))]
public class AuthorizationResourceSwitchTests
{
    private const string Switch = "Microsoft.AspNetCore.Authorization.SuppressUseHttpContextAsAuthorizationResource";

    [Fact]
    public async Task DenyPath_WithTheEndpointAsResource_ChecksTheOtherRequirementsWithTheSameResource()
    {
        AppContext.SetSwitch(Switch, true);
        try
        {
            await using var app = await TestApp.StartAsync(
                web => web.MapPost("/transfer", () => "done").RequireReverification("strict").RequireAuthorization(p => p.AddRequirements(new EndpointResourceRequirement())),
                services: s => s.AddSingleton<IAuthorizationHandler, EndpointResourceHandler>());

            // The app's handler passes only when it sees the endpoint, as the middleware gives it with the switch on;
            // the deny path's second look must give it the same, or the answer would be a plain 403.
            await Answer.AssertReverificationAsync(
                await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30))),
                Answer.Body("strict"),
                600);
        }
        finally
        {
            AppContext.SetSwitch(Switch, false);
        }
    }

    internal sealed class EndpointResourceRequirement : IAuthorizationRequirement;

    internal sealed class EndpointResourceHandler : AuthorizationHandler<EndpointResourceRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EndpointResourceRequirement requirement)
        {
            if (context.Resource is Endpoint)
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
