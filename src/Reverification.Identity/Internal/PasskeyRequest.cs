using System.Text.Json;

namespace Reverification.Identity.Internal;

/// <summary>
/// The body of <c>POST {prefix}/passkey</c>: <c>{"credential":{...}}</c>, the JSON of the
/// <c>PublicKeyCredential</c> that <c>navigator.credentials.get()</c> returned.
/// </summary>
internal sealed class PasskeyRequest : IApprovalRequest
{
    public string? ApprovalId { get; set; }

    public JsonElement Credential { get; set; }
}
