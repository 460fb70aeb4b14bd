using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Decorates the app's <see cref="IAuthorizationMiddlewareResultHandler"/>: a forbidden result whose only failures
/// are reverification failures becomes the reverification answer; everything else goes to the wrapped handler.
/// </summary>
internal sealed class ReverificationMiddlewareResultHandler(
    IAuthorizationMiddlewareResultHandler inner,
    ReverificationResponseWriter writer,
    IAuthorizationService authorizationService) : IAuthorizationMiddlewareResultHandler
{
    internal IAuthorizationMiddlewareResultHandler Inner => inner;

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && ReverificationFailures.TryGetDemandedLevel(authorizeResult.AuthorizationFailure, out var level, out var outcome)
            && await ReverificationFailures.OthersPassAsync(authorizationService, context.User, context, policy.Requirements).ConfigureAwait(false))
        {
            await writer.WriteAsync(context, level, outcome).ConfigureAwait(false);
            return;
        }

        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
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
    /// asked for when the caller would be refused anyway.
    /// </summary>
    public static async Task<bool> OthersPassAsync(IAuthorizationService authorizationService, System.Security.Claims.ClaimsPrincipal user, object? resource, IReadOnlyList<IAuthorizationRequirement> requirements)
    {
        List<IAuthorizationRequirement>? others = null;
        foreach (var requirement in requirements)
        {
            // An authenticated caller (a forbidden result) already meets DenyAnonymous.
            if (requirement is ReverificationRequirement or DenyAnonymousAuthorizationRequirement)
            {
                continue;
            }

            (others ??= []).Add(requirement);
        }

        if (others is null)
        {
            return true;
        }

        var result = await authorizationService.AuthorizeAsync(user, resource, others).ConfigureAwait(false);
        return result.Succeeded;
    }
}
