namespace Reverification.Identity.Internal;

/// <summary>The body of <c>POST {prefix}/password</c>: <c>{"password":"..."}</c>, with an optional <c>"approvalId"</c>.</summary>
internal sealed class PasswordRequest : IApprovalRequest
{
    public string? ApprovalId { get; set; }

    public string? Password { get; set; }
}
