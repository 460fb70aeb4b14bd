namespace Reverification.Identity.Internal;

/// <summary>The body of <c>POST {prefix}/authenticator</c> and <c>/recovery-code</c>: <c>{"code":"..."}</c>.</summary>
internal sealed class CodeRequest
{
    public string? Code { get; set; }
}
