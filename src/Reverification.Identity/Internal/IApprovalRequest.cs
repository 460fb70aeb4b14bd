namespace Reverification.Identity.Internal;

/// <summary>
/// A verification body's optional <c>approvalId</c>: the one-time approval (<c>RequireApproval</c>) that a successful
/// verification approves.
/// </summary>
internal interface IApprovalRequest
{
    string? ApprovalId { get; }
}
