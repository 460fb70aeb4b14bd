using Microsoft.AspNetCore.Mvc;

namespace Reverification.AspNetCore.Internal;

/// <summary>The reverification answer with a new approval, as an MVC result.</summary>
internal sealed class ApprovalAnswerResult(
    ReverificationResponseWriter writer,
    ApprovalService approvals,
    ReverificationLevel level,
    ReverificationOutcome outcome,
    ApprovalRequirement requirement,
    ReverificationLevel approvalLevel) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
        => ApprovalAnswer.WriteAsync(context.HttpContext, writer, approvals, level, outcome, requirement, approvalLevel);
}
