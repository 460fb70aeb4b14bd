using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Turns the <see cref="ForbidResult"/> of an app that authorizes through MVC's <c>AuthorizeFilter</c> into the same
/// reverification answer the authorization middleware gives, read from the same authorization result.
/// </summary>
internal sealed class ReverificationForbidResultFilter(ReverificationService service, ReverificationResponseWriter writer, ApprovalService? approvals = null) : IAsyncAlwaysRunResultFilter
{
    public Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is ForbidResult && context.HttpContext.Features.Get<ReverificationFailureFeature>() is { } feature)
        {
            if (approvals is not null && ApprovalAnswer.TryGetProblem(service, feature.Context.FailureReasons, feature.Context.PendingRequirements) is { } problem)
            {
                context.Result = new ApprovalProblemResult(problem);
            }
            else if (ReverificationFailures.TryGetAnswer(service, feature.Context.User, feature.Context.HasFailed, feature.Context.PendingRequirements, out var level, out var outcome, out var approval, out var approvalLevel))
            {
                context.Result = approval is not null && approvals is not null
                    ? new ApprovalAnswerResult(writer, approvals, level, outcome, approval, approvalLevel!)
                    : new ReverificationAnswerResult(writer, level, outcome);
            }
        }

        return next();
    }
}
