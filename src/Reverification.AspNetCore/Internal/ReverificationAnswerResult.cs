using Microsoft.AspNetCore.Mvc;

namespace Reverification.AspNetCore.Internal;

/// <summary>The reverification answer as an MVC result.</summary>
internal sealed class ReverificationAnswerResult(ReverificationResponseWriter writer, ReverificationLevel level, ReverificationOutcome outcome) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => writer.WriteAsync(context.HttpContext, level, outcome);
}
