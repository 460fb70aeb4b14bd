namespace Reverification.Blazor.Internal;

/// <summary>What <c>send</c> answers: the status (0: not sent or no answer) and the body's text.</summary>
internal sealed record EndpointResponse(int Status, string? Body);
