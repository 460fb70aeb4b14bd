namespace Reverification.Identity.Internal;

/// <summary>The body of <c>POST {prefix}/password</c>: <c>{"password":"..."}</c>.</summary>
internal sealed class PasswordRequest
{
    public string? Password { get; set; }
}
