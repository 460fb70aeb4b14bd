namespace Reverification.Identity.Internal;

/// <summary>The body of <c>POST {prefix}/authenticator</c> and <c>/recovery-code</c>: <c>{"code":"..."}</c>, with an optional <c>"approvalId"</c>.</summary>
internal sealed class CodeRequest : IApprovalRequest
{
    public string? ApprovalId { get; set; }

    public string? Code { get; set; }
}
