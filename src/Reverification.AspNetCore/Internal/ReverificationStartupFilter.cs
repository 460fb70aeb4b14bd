using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Checks, when the app starts and its endpoints are built, that every endpoint's reverification level exists and
/// that the reverification result handler is the one the authorization middleware uses.
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

        var resultHandler = services.GetService<IAuthorizationMiddlewareResultHandler>();
        if (resultHandler is not ReverificationMiddlewareResultHandler)
        {
            problems.Add(
                $"The IAuthorizationMiddlewareResultHandler in use is {resultHandler?.GetType().FullName ?? "missing"}, so reverification failures would be answered as plain 403s. "
                + "Register your own result handler before calling AddReverification(), which wraps it.");
        }

        var options = services.GetRequiredService<IOptions<ReverificationOptions>>().Value;
        if (services.GetService<EndpointDataSource>() is { } dataSource)
        {
            foreach (var endpoint in dataSource.Endpoints)
            {
                foreach (var data in endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>())
                {
                    foreach (var requirement in data.GetRequirements())
                    {
                        if (requirement is ReverificationRequirement { Level: null, LevelName: { } name } && !options.TryGetLevel(name, out _))
                        {
                            problems.Add($"Endpoint '{endpoint.DisplayName ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText}' requires reverification level '{name}'. "
                                + ReverificationService.UnknownLevelMessage(name, options.Levels.Keys));
                        }
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                ReverificationLog.ConfigurationError(logger, problem);
            }

            throw new InvalidOperationException("Reverification is misconfigured:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }
}
