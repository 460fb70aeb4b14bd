using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The requirement of <see cref="RequireApprovalAttribute"/>: passes only for a request that carries an approved,
/// unused approval bound to its subject and digest. Immutable: the level (resolved as a reverification requirement's
/// is) and the attribute's settings.
/// </summary>
internal sealed class ApprovalRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    public ApprovalRequirement(string levelName, RequireApprovalAttribute settings)
    {
        Level = new ReverificationRequirement(levelName);
        Settings = settings;
    }

    /// <summary>The level, resolved through <see cref="ReverificationService.TryResolve"/>.</summary>
    public ReverificationRequirement Level { get; }

    public RequireApprovalAttribute Settings { get; }

    Task IAuthorizationHandler.HandleAsync(AuthorizationHandlerContext context)
    {
        // As ReverificationRequirement: a pending requirement in an app that never registered the library is a
        // configuration error, never a silent 403.
        if (context.PendingRequirements.Contains(this) && RequestServices(context.Resource) is { } services
            && services.GetService(typeof(ReverificationService)) is null)
        {
            throw new InvalidOperationException(
                $"An endpoint requires a one-time approval at level '{Level.LevelName}', but reverification services are not registered, so every request would be refused with a bare 403. "
                + "Call builder.Services.AddReverification() (or AddReverification(options => ...)) when you configure services.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"One-time approval required at level '{Level.LevelName}'.";

    internal static HttpContext? HttpContextOf(object? resource) => resource switch
    {
        HttpContext http => http,
        AuthorizationFilterContext filter => filter.HttpContext,
        _ => null,
    };

    private static IServiceProvider? RequestServices(object? resource) => HttpContextOf(resource)?.RequestServices;
}
