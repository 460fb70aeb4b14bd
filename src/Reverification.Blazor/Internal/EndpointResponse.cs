namespace Reverification.Blazor.Internal;

/// <summary>
/// What <c>send</c> answers: the status (0: not sent or no answer), the body's text, and the
/// <c>Reverification-Approval-State</c> header (<c>approved</c>, <c>pending</c>) of a verification sent with an approval id.
/// </summary>
internal sealed record EndpointResponse(int Status, string? Body, string? ApprovalState = null);
