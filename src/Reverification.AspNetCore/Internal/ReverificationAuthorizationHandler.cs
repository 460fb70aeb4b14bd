using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Logging;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Handles every <see cref="ReverificationRequirement"/> of a policy (and <see cref="BlazorPageRequirement"/>'s, read as one). A requirement that passes succeeds; one that does
/// not is left pending, as ASP.NET Core's own handlers do, so that the evaluator reports it in
/// <see cref="AuthorizationFailure.FailedRequirements"/> and the result handler can tell from the result alone that
/// only reverification failed. Registered handlers run on every authorization, so a policy without the requirement
/// costs one scan of its requirements and nothing else.
/// </summary>
internal sealed class ReverificationAuthorizationHandler(ReverificationService service, ILogger<ReverificationAuthorizationHandler> logger) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        // A policy's requirements are a list; indexing it allocates no enumerator.
        var requirements = context.Requirements as IReadOnlyList<IAuthorizationRequirement> ?? [.. context.Requirements];
        var read = default(Read);
        for (var i = 0; i < requirements.Count; i++)
        {
            if (requirements[i] is ReverificationRequirement requirement)
            {
                Handle(context, requirement, requirement, ref read);
            }
            else if (BlazorPageRequirement.TryGet(requirements[i], out var page))
            {
                // [RequireReverificationPage] of a WebAssembly page: decided as the level it names; the page's own
                // requirement object is the one that succeeds or stays pending.
                Handle(context, requirements[i], page, ref read);
            }
        }

        return Task.CompletedTask;
    }

    private void Handle(AuthorizationHandlerContext context, IAuthorizationRequirement original, ReverificationRequirement requirement, ref Read read)
    {
        if (!service.TryResolve(requirement, out var level))
        {
            // Start-up validation catches unknown names on endpoints; a policy built in code can still name one. A
            // configuration error refuses the request outright (never the reverification answer, never a pass).
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
            context.Succeed(original);
            return;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            ReverificationLog.ReverificationRequired(logger, level, outcome, (context.Resource as HttpContext)?.Request.Path.Value);
        }

        // MVC's AuthorizeFilter answers a failure with a bare ForbidResult; the context it evaluated is kept so that a
        // result filter can read the same result and answer with reverification instead.
        if (context.Resource is AuthorizationFilterContext filterContext)
        {
            filterContext.HttpContext.Features.Set(new ReverificationFailureFeature(context));
        }
    }

    /// <summary>What was read for the first reverification requirement of a policy, reused by the others.</summary>
    private struct Read
    {
        public bool Done;
        public DateTimeOffset Now;
        public VerificationTimes Times;
    }
}
