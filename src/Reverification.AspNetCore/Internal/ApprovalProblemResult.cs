using Microsoft.AspNetCore.Mvc;

namespace Reverification.AspNetCore.Internal;

/// <summary>An approval that cannot be issued or checked (413, 400, 503), as an MVC result.</summary>
internal sealed class ApprovalProblemResult(ApprovalFailureReason reason) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => ApprovalAnswer.WriteProblemAsync(context.HttpContext, reason);
}
