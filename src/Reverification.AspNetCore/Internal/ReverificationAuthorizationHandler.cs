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
            var read = default(Read);
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is ReverificationRequirement requirement)
                {
                    Handle(context, requirement, ref read);
                }
            }
        }
        else
        {
            var read = default(Read);
            foreach (var item in requirements)
            {
                if (item is ReverificationRequirement requirement)
                {
                    Handle(context, requirement, ref read);
                }
            }
        }

        return Task.CompletedTask;
    }

    private void Handle(AuthorizationHandlerContext context, ReverificationRequirement requirement, ref Read read)
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

        if (!read.Done)
        {
            // The claims are read, and the clock is read, once per authorization however many requirements there are.
            read.Now = service.GetUtcNow();
            read.Times = service.ReadTimes(context.User, read.Now);
            read.Done = true;
        }

        var outcome = service.EvaluateRead(read.Times, read.Now, level);
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

    /// <summary>What was read for the first reverification requirement of a policy, reused by the others.</summary>
    private struct Read
    {
        public bool Done;
        public DateTimeOffset Now;
        public VerificationTimes Times;
    }
}
