using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The reason <see cref="ApprovalAuthorizationHandler"/> gives when it fails an authorization outright (the body is too
/// large or not the JSON the bound fields need, the store is down): the result handler reads it from the result and
/// answers 413, 400 or 503 instead of a bare 403.
/// </summary>
internal sealed class ApprovalFailureReason(IAuthorizationHandler handler, ApprovalProblem problem, string message)
    : AuthorizationFailureReason(handler, message)
{
    public ApprovalProblem Problem { get; } = problem;

    public static ApprovalFailureReason? Find(IEnumerable<AuthorizationFailureReason> reasons)
    {
        foreach (var reason in reasons)
        {
            if (reason is ApprovalFailureReason approval)
            {
                return approval;
            }
        }

        return null;
    }
}
