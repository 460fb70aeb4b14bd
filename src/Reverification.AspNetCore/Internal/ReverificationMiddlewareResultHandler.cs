using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Decorates the app's <see cref="IAuthorizationMiddlewareResultHandler"/>: a forbidden result whose only failures
/// are reverification failures becomes the reverification answer; everything else goes to the wrapped handler.
/// </summary>
/// <remarks>
/// The authorization handlers that re-check the policy's other requirements come from the request's services, never
/// from the constructor: they may be scoped (a handler using a <c>DbContext</c>), and this decorator lives as long as
/// the handler it wraps (a singleton by default).
/// </remarks>
internal sealed class ReverificationMiddlewareResultHandler(
    IAuthorizationMiddlewareResultHandler inner,
    ReverificationResponseWriter writer) : IAuthorizationMiddlewareResultHandler
{
    internal IAuthorizationMiddlewareResultHandler Inner => inner;

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && ReverificationFailures.TryGetDemandedLevel(authorizeResult.AuthorizationFailure, out var level, out var outcome)
            && await ReverificationFailures.OthersPassAsync(context.RequestServices, context.User, AuthorizationResource(context), policy.Requirements).ConfigureAwait(false))
        {
            await writer.WriteAsync(context, level, outcome).ConfigureAwait(false);
            return;
        }

        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }

    /// <summary>
    /// The resource the authorization middleware gave the handlers: the <see cref="HttpContext"/>, or the endpoint when
    /// the app turned on ASP.NET Core's <c>SuppressUseHttpContextAsAuthorizationResource</c> switch.
    /// </summary>
    private static object? AuthorizationResource(HttpContext context)
        => AppContext.TryGetSwitch("Microsoft.AspNetCore.Authorization.SuppressUseHttpContextAsAuthorizationResource", out var suppress) && suppress
            ? context.GetEndpoint()
            : context;
}

internal static class ReverificationFailures
{
    /// <summary>
    /// The most demanding level among the failure's reasons, when every reason is a reverification failure.
    /// </summary>
    public static bool TryGetDemandedLevel(AuthorizationFailure? failure, out ReverificationLevel level, out ReverificationOutcome outcome)
    {
        level = null!;
        outcome = default;
        if (failure is null || !failure.FailCalled)
        {
            return false;
        }

        foreach (var reason in failure.FailureReasons)
        {
            if (reason is not ReverificationFailureReason r)
            {
                return false;
            }

            if (level is null || ReverificationEvaluator.IsMoreDemanding(r.Level, level))
            {
                level = r.Level;
                outcome = r.Outcome;
            }
        }

        return level is not null;
    }

    /// <summary>
    /// Whether the policy's other requirements pass for this user. A failure that calls <c>Fail</c> hides which
    /// requirements were still pending, so they are checked again (only on this deny path): reverifying must not be
    /// asked for when the caller would be refused anyway. The check always runs, even when reverification is the only
    /// requirement left, so that a handler that refuses every request (<c>context.Fail()</c> without a reason, such as
    /// a lock-out check) still wins over the reverification answer.
    /// </summary>
    /// <remarks>
    /// The app's handlers are run directly (as <c>DefaultAuthorizationService</c> runs them), not through
    /// <see cref="IAuthorizationService"/>: this second look is not an authorization of its own, so it is not counted in
    /// ASP.NET Core's authorization metrics or logged as one. A marker requirement that no handler knows stands for
    /// "nothing else to check"; it is the only requirement allowed to stay pending.
    /// </remarks>
    public static async Task<bool> OthersPassAsync(IServiceProvider requestServices, System.Security.Claims.ClaimsPrincipal user, object? resource, IEnumerable<IAuthorizationRequirement> requirements)
    {
        var others = new List<IAuthorizationRequirement>();
        foreach (var requirement in requirements)
        {
            if (requirement is not ReverificationRequirement)
            {
                others.Add(requirement);
            }
        }

        if (others.Count == 0)
        {
            others.Add(NothingElse.Instance);
        }

        var context = requestServices.GetRequiredService<IAuthorizationHandlerContextFactory>().CreateContext(others, user, resource);
        var invokeAfterFailure = requestServices.GetService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>()?.Value.InvokeHandlersAfterFailure ?? true;
        foreach (var handler in await requestServices.GetRequiredService<IAuthorizationHandlerProvider>().GetHandlersAsync(context).ConfigureAwait(false))
        {
            await handler.HandleAsync(context).ConfigureAwait(false);
            if (!invokeAfterFailure && context.HasFailed)
            {
                break;
            }
        }

        if (context.HasFailed)
        {
            return false;
        }

        foreach (var pending in context.PendingRequirements)
        {
            if (!ReferenceEquals(pending, NothingElse.Instance))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Stands for "no other requirement" so that the app's handlers still see the request.</summary>
    private sealed class NothingElse : IAuthorizationRequirement
    {
        public static readonly NothingElse Instance = new();
    }
}
