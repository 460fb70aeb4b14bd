using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Handles every <see cref="ReverificationRequirement"/> of a policy. Registered handlers run on every authorization,
/// so a policy without the requirement costs one scan of its requirements and nothing else.
/// </summary>
internal sealed class ReverificationAuthorizationHandler(ReverificationService service, ILogger<ReverificationAuthorizationHandler> logger) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var requirements = context.Requirements;
        if (requirements is IReadOnlyList<IAuthorizationRequirement> list)
        {
            VerificationTimes? times = null;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is ReverificationRequirement requirement)
                {
                    Handle(context, requirement, ref times);
                }
            }
        }
        else
        {
            VerificationTimes? times = null;
            foreach (var item in requirements)
            {
                if (item is ReverificationRequirement requirement)
                {
                    Handle(context, requirement, ref times);
                }
            }
        }

        return Task.CompletedTask;
    }

    private void Handle(AuthorizationHandlerContext context, ReverificationRequirement requirement, ref VerificationTimes? times)
    {
        if (!service.TryResolve(requirement, out var level))
        {
            // Start-up validation catches unknown names on endpoints; a policy built in code can still name one.
            ReverificationLog.UnknownLevel(logger, requirement.LevelName!);
            context.Fail(new AuthorizationFailureReason(this, ReverificationService.UnknownLevelMessage(requirement.LevelName!, service.Options.Levels.Keys)));
            return;
        }

        if (!ReverificationService.IsAuthenticated(context.User))
        {
            // Left pending: the policy evaluator answers an unauthenticated caller with the normal challenge.
            return;
        }

        times ??= service.ReadTimes(context.User);
        var outcome = service.Evaluate(times.Value, level);
        if (outcome == ReverificationOutcome.Passed)
        {
            context.Succeed(requirement);
            return;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            ReverificationLog.ReverificationRequired(logger, level, outcome, (context.Resource as HttpContext)?.Request.Path.Value);
        }

        context.Fail(new ReverificationFailureReason(this, requirement, level, outcome));
        ReverificationFailureRecorder.Record(context);
    }
}
