namespace Reverification.AspNetCore;

/// <summary>
/// What <see cref="ReverificationRecorder.ApproveAsync(System.Security.Claims.ClaimsPrincipal, string, ReverificationFactors, CancellationToken)"/> did.
/// </summary>
public enum ReverificationApprovalResult
{
    /// <summary>The approval is approved: the retry that carries its id passes once.</summary>
    Approved = 0,

    /// <summary>No pending approval has this id: malformed, unknown, expired, already approved or consumed.</summary>
    NotFound = 1,

    /// <summary>The approval belongs to another user; nothing changed.</summary>
    OtherUser = 2,

    /// <summary>The factors verified do not satisfy the approval's level (a password for a second-factor level, say).</summary>
    InsufficientFactors = 3,

    /// <summary>The approval store could not be reached; nothing changed.</summary>
    StoreUnavailable = 4,
}
