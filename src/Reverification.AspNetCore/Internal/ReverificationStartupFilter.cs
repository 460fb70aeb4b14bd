using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Checks, when the app starts and its endpoints are built, that every reverification level named on an endpoint
/// (attribute, endpoint extension, a policy object or a named policy), in the default and fallback policies and in
/// MVC's global <see cref="AuthorizeFilter"/>s exists (Blazor's <c>[RequireReverificationPage]</c> included), that no
/// Razor Pages handler method carries a requirement (Razor Pages would ignore it), that no routable component with a
/// requirement allows anonymous access (its static renders would not be enforced), and that the reverification result handler is the one the authorization middleware uses.
/// </summary>
internal sealed class ReverificationStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        Validate(app.ApplicationServices);
    };

    internal static void Validate(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Reverification.AspNetCore.Startup");
        var problems = new List<string>();

        // In a scope: the app's own result handler (which this library wraps) may be scoped.
        IAuthorizationMiddlewareResultHandler? resultHandler;
        var scope = services.CreateAsyncScope();
        try
        {
            resultHandler = scope.ServiceProvider.GetService<IAuthorizationMiddlewareResultHandler>();
        }
        finally
        {
            // Start-up filters are synchronous; a scoped handler (or its dependencies) may be IAsyncDisposable only.
            scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (resultHandler is not ReverificationMiddlewareResultHandler)
        {
            problems.Add(
                $"The IAuthorizationMiddlewareResultHandler in use is {resultHandler?.GetType().FullName ?? "missing"}, so reverification failures would be answered as plain 403s. "
                + "Register your own result handler before calling AddReverification(), which wraps it.");
        }

        var options = services.GetRequiredService<IOptions<ReverificationOptions>>().Value;
        var authorization = services.GetService<IOptions<AuthorizationOptions>>()?.Value;
        void Check(IEnumerable<IAuthorizationRequirement> requirements, string where)
        {
            foreach (var requirement in requirements)
            {
                if ((requirement as ReverificationRequirement ?? ReadPage(requirement, where)) is { Level: null, LevelName: { } name } && !options.TryGetLevel(name, out _))
                {
                    problems.Add($"{where} requires reverification level '{name}'. " + ReverificationService.UnknownLevelMessage(name, options.Levels.Keys));
                }

                if (requirement is ApprovalRequirement { Level: { Level: null, LevelName: { } approvalName } } && !options.TryGetLevel(approvalName, out _))
                {
                    problems.Add($"{where} requires a one-time approval at level '{approvalName}'. " + ReverificationService.UnknownLevelMessage(approvalName, options.Levels.Keys));
                }
            }
        }

        void CheckPolicyName(string? policyName, string where)
        {
            // Named policies registered with AddAuthorization/AddAuthorizationBuilder; a custom
            // IAuthorizationPolicyProvider's policies are only known when they run (an unknown level then denies).
            if (policyName is not null && authorization?.GetPolicy(policyName) is { } policy)
            {
                Check(policy.Requirements, $"{where} (policy '{policyName}')");
            }
        }

        ReverificationRequirement? ReadPage(IAuthorizationRequirement requirement, string where)
        {
            try
            {
                return BlazorPageRequirement.TryGet(requirement, out var page) ? page : null;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                problems.Add($"{where}: {e.Message}");
                return null;
            }
        }

        if (authorization is not null)
        {
            Check(authorization.DefaultPolicy.Requirements, "The default authorization policy");
            if (authorization.FallbackPolicy is { } fallback)
            {
                Check(fallback.Requirements, "The fallback authorization policy");
            }
        }

        if (services.GetService<IOptions<MvcOptions>>()?.Value is { } mvc)
        {
            foreach (var filter in mvc.Filters.OfType<AuthorizeFilter>())
            {
                if (filter.Policy is { } policy)
                {
                    Check(policy.Requirements, "A global MVC AuthorizeFilter");
                }

                foreach (var data in filter.AuthorizeData ?? [])
                {
                    CheckPolicyName(data.Policy, "A global MVC AuthorizeFilter");
                }
            }
        }

        if (services.GetService<EndpointDataSource>() is { } dataSource)
        {
            foreach (var endpoint in dataSource.Endpoints)
            {
                var where = $"Endpoint '{endpoint.DisplayName ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText}'";
                var metadata = endpoint.Metadata;

                // Razor Pages ignores requirements on handler methods; a page compiled at run time is loaded to know them.
                if (RazorPageHandlers.GetCompiled(services, endpoint) is { } page)
                {
                    metadata = page.Endpoint?.Metadata ?? metadata;
                    problems.AddRange(RazorPageHandlers.MisplacedRequirements(page));
                }

                var approvals = 0;
                var reverifies = false;
                foreach (var data in metadata.GetOrderedMetadata<IAuthorizationRequirementData>())
                {
                    Check(data.GetRequirements(), where);
                    approvals += data is RequireApprovalAttribute ? 1 : 0;
                    reverifies |= data is RequireReverificationAttribute || data.GetRequirements().Any(static r => BlazorPageRequirement.IsPageRequirement(r));
                }

                // ReverificationGuard shows a page rendered without interactivity (static SSR, prerendering) because such
                // a render happens only inside a request the server's authorization passed: [AllowAnonymous] breaks that.
                if (reverifies && metadata.GetMetadata<ComponentTypeMetadata>() is { } component && metadata.GetMetadata<IAllowAnonymous>() is not null)
                {
                    problems.Add(
                        $"The page {component.Type.FullName} requires reverification but allows anonymous access ([AllowAnonymous] on the page, or AllowAnonymous() on MapRazorComponents), "
                        + "which turns the server's authorization off for its HTTP requests: a static render or a prerender would show it to a session that must verify again. "
                        + "Remove [AllowAnonymous] from the page, or the AllowAnonymous() convention from its endpoint.");
                }

                if (approvals > 1)
                {
                    problems.Add($"{where} requires a one-time approval {approvals} times (controller and action, group and endpoint?); one request is approved once, so give it one RequireApproval.");
                }

                foreach (var policy in metadata.GetOrderedMetadata<AuthorizationPolicy>())
                {
                    Check(policy.Requirements, where);
                }

                foreach (var data in metadata.GetOrderedMetadata<IAuthorizeData>())
                {
                    CheckPolicyName(data.Policy, where);
                }
            }
        }

        if (problems.Count > 0)
        {
            problems = [.. problems.Distinct(StringComparer.Ordinal)];
            foreach (var problem in problems)
            {
                ReverificationLog.ConfigurationError(logger, problem);
            }

            throw new InvalidOperationException("Reverification is misconfigured:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }
}
