using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Logging;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Handles <see cref="ApprovalRequirement"/>: succeeds it when the request consumes a matching approved approval, and
/// otherwise leaves it pending (the result handler then answers with a new approval). Fails the authorization outright
/// only when the request cannot be answered with an approval at all (body too large or not the JSON the bound fields
/// need, store unreachable): the <see cref="ApprovalFailureReason"/> says which, and the result handler answers 413,
/// 400 or 503. Never a pass on an error.
/// </summary>
internal sealed class ApprovalAuthorizationHandler(ReverificationService service, ApprovalService approvals, ILogger<ApprovalAuthorizationHandler> logger) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        // No approval requirement: one scan of the list, no state machine.
        var requirements = context.Requirements as IReadOnlyList<IAuthorizationRequirement> ?? [.. context.Requirements];
        for (var i = 0; i < requirements.Count; i++)
        {
            if (requirements[i] is ApprovalRequirement requirement)
            {
                return HandleAsync(context, requirement);
            }
        }

        return Task.CompletedTask;
    }

    private async Task HandleAsync(AuthorizationHandlerContext context, ApprovalRequirement requirement)
    {
        if (!service.TryResolve(requirement.Level, out var level))
        {
            ReverificationLog.UnknownLevel(logger, requirement.Level.LevelName!);
            context.Fail(new AuthorizationFailureReason(this, ReverificationService.UnknownLevelMessage(requirement.Level.LevelName!, service.Options.Levels.Keys)));
            return;
        }

        // Anonymous: left pending, the evaluator answers with the normal challenge.
        if (!ReverificationService.IsAuthenticated(context.User) || ApprovalRequirement.HttpContextOf(context.Resource) is not { } http)
        {
            return;
        }

        if (context.Resource is AuthorizationFilterContext filterContext)
        {
            // MVC's AuthorizeFilter answers a bare ForbidResult; the result filter reads this context to answer instead.
            filterContext.HttpContext.Features.Set(new ReverificationFailureFeature(context));
        }

        if (ApprovalService.SubjectOf(context.User) is not { } subject)
        {
            // Left pending: the result handler finds no subject to bind a new approval to, and refuses.
            return;
        }

        var (passed, problem, detail) = await approvals.TryConsumeAsync(http, subject, requirement, level).ConfigureAwait(false);
        if (passed)
        {
            context.Succeed(requirement);
            return;
        }

        if (problem != ApprovalProblem.None)
        {
            context.Fail(new ApprovalFailureReason(this, problem, detail ?? "The approval store could not be reached."));
        }
    }
}
