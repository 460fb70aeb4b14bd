using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Reads an authorization result: whether what failed is reverification alone, and which level the answer names.
/// </summary>
internal static class ReverificationFailures
{
    /// <summary>
    /// Whether only reverification requirements failed: no handler called <c>Fail()</c> (a handler that refuses wins
    /// over the reverification answer), every failed requirement is a reverification requirement, and the caller is
    /// authenticated. Then <paramref name="level"/> is the most demanding failed level and <paramref name="outcome"/>
    /// why the caller's data did not pass it (read only for the app's <c>OnRejected</c> hook; otherwise <see cref="ReverificationOutcome.ReverificationRequired"/>).
    /// </summary>
    public static bool TryGetAnswer(
        ReverificationService service,
        ClaimsPrincipal user,
        bool failCalled,
        IEnumerable<IAuthorizationRequirement> failedRequirements,
        out ReverificationLevel level,
        out ReverificationOutcome outcome)
        => TryGetAnswer(service, user, failCalled, failedRequirements, out level, out outcome, out _, out _);

    /// <summary>
    /// As the overload above, and <paramref name="approval"/> is the failed one-time approval requirement, if any, with
    /// its level in <paramref name="approvalLevel"/>: the answer then carries a new approval.
    /// </summary>
    public static bool TryGetAnswer(
        ReverificationService service,
        ClaimsPrincipal user,
        bool failCalled,
        IEnumerable<IAuthorizationRequirement> failedRequirements,
        out ReverificationLevel level,
        out ReverificationOutcome outcome,
        out ApprovalRequirement? approval,
        out ReverificationLevel? approvalLevel)
    {
        level = null!;
        outcome = default;
        approval = null;
        approvalLevel = null;
        if (failCalled)
        {
            return false;
        }

        // Only on the deny path: one loop over whatever collection the result holds.
        foreach (var requirement in failedRequirements)
        {
            if (requirement is ApprovalRequirement candidate)
            {
                if (!service.TryResolve(candidate.Level, out var resolved))
                {
                    return false;
                }

                approval ??= candidate;
                approvalLevel ??= resolved;
                if (level is null || ReverificationEvaluator.IsMoreDemanding(resolved, level))
                {
                    level = resolved;
                }

                continue;
            }

            if (!Consider(service, requirement, ref level))
            {
                return false;
            }
        }

        if (level is null)
        {
            return false;
        }

        if (!ReverificationService.IsAuthenticated(user))
        {
            return false;
        }

        // The handler left the requirement pending without saying why. Only the app's OnRejected hook is told whether
        // the data was stale or malformed: reading the claims again for it (without counting or logging a second
        // decision) is left to apps that set it.
        if (service.Options.OnRejected is null || (approval is not null && ReferenceEquals(level, approvalLevel)))
        {
            outcome = ReverificationOutcome.ReverificationRequired;
            return true;
        }

        outcome = service.Classify(user, level);
        if (outcome == ReverificationOutcome.Passed)
        {
            // Only a clock that went backwards between the two reads: the decision already denied.
            outcome = ReverificationOutcome.ReverificationRequired;
        }

        return true;
    }

    private static bool Consider(ReverificationService service, IAuthorizationRequirement requirement, ref ReverificationLevel level)
    {
        if ((requirement as ReverificationRequirement ?? (BlazorPageRequirement.TryGet(requirement, out var page) ? page : null)) is not { } reverification
            || !service.TryResolve(reverification, out var candidate))
        {
            return false;
        }

        if (level is null || ReverificationEvaluator.IsMoreDemanding(candidate, level))
        {
            level = candidate;
        }

        return true;
    }
}
