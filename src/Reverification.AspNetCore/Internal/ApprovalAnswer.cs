using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The answers of an endpoint that requires an approval: the reverification answer with a new approval, or, when no
/// approval can be issued or checked, 413 / 400 / 503 with an RFC 9457 problem body (never a pass).
/// </summary>
internal static class ApprovalAnswer
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>
    /// The approval handler's failure, when it is the only thing that failed: every failure reason is the approval
    /// handler's and every failed requirement a reverification or approval requirement.
    /// </summary>
    public static ApprovalFailureReason? TryGetProblem(ReverificationService service, IEnumerable<AuthorizationFailureReason> reasons, IEnumerable<IAuthorizationRequirement> failedRequirements)
    {
        ApprovalFailureReason? found = null;
        foreach (var reason in reasons)
        {
            if (reason is not ApprovalFailureReason approval)
            {
                return null;
            }

            found ??= approval;
        }

        if (found is null)
        {
            return null;
        }

        foreach (var requirement in failedRequirements)
        {
            if (requirement is not ApprovalRequirement and not ReverificationRequirement && !BlazorPageRequirement.TryGet(requirement, out _))
            {
                return null;
            }
        }

        return found;
    }

    public static async Task WriteAsync(
        HttpContext context,
        ReverificationResponseWriter writer,
        ApprovalService approvals,
        ReverificationLevel level,
        ReverificationOutcome outcome,
        ApprovalRequirement requirement,
        ReverificationLevel approvalLevel)
    {
        var (approval, problem, detail) = await approvals.IssueAsync(context, requirement, approvalLevel).ConfigureAwait(false);
        if (approval is null)
        {
            await WriteProblemAsync(context, problem, detail).ConfigureAwait(false);
            return;
        }

        // A new approval is never cached by anything between the client and the app.
        context.Response.Headers.CacheControl = "no-store";
        await writer.WriteAsync(context, level, outcome, approval, approvals.ExpiresInSeconds).ConfigureAwait(false);
    }

    public static Task WriteProblemAsync(HttpContext context, ApprovalFailureReason reason)
        => WriteProblemAsync(context, reason.Problem, reason.Message);

    public static async Task WriteProblemAsync(HttpContext context, ApprovalProblem problem, string? detail)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var (status, title) = problem switch
        {
            ApprovalProblem.BodyTooLarge => (StatusCodes.Status413PayloadTooLarge, "The request body is too large to approve."),
            ApprovalProblem.InvalidBody => (StatusCodes.Status400BadRequest, "The request body cannot be approved."),
            ApprovalProblem.StoreUnavailable => (StatusCodes.Status503ServiceUnavailable, "Approvals are unavailable; nothing was done. Try again later."),
            _ => (StatusCodes.Status403Forbidden, "This request needs a one-time approval, and the caller has no subject to bind it to."),
        };

        response.StatusCode = status;
        response.ContentType = ProblemContentType;
        response.Headers.CacheControl = "no-store";
        if (problem == ApprovalProblem.StoreUnavailable)
        {
            response.Headers.RetryAfter = "5";
            detail = null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            if (detail is not null)
            {
                json.WriteString("detail", detail);
            }

            json.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
