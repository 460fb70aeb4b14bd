using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Decorates the app's <see cref="IAuthorizationMiddlewareResultHandler"/>: a forbidden result whose only failed
/// requirements are reverification requirements (and no handler called <c>Fail()</c>) becomes the reverification
/// answer; everything else goes to the wrapped handler.
/// </summary>
internal sealed class ReverificationMiddlewareResultHandler(
    IAuthorizationMiddlewareResultHandler inner,
    ReverificationService service,
    ReverificationResponseWriter writer,
    ApprovalService? approvals = null) : IAuthorizationMiddlewareResultHandler
{
    internal IAuthorizationMiddlewareResultHandler Inner => inner;

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            if (approvals is not null && ApprovalAnswer.TryGetProblem(service, failure.FailureReasons, failure.FailedRequirements) is { } problem)
            {
                return ApprovalAnswer.WriteProblemAsync(context, problem);
            }

            if (ReverificationFailures.TryGetAnswer(service, context.User, failure.FailCalled, failure.FailedRequirements, out var level, out var outcome, out var approval, out var approvalLevel))
            {
                return approval is not null && approvals is not null
                    ? ApprovalAnswer.WriteAsync(context, writer, approvals, level, outcome, approval, approvalLevel!)
                    : writer.WriteAsync(context, level, outcome);
            }
        }

        return inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
