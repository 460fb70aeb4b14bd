namespace Reverification.Blazor.Internal;

/// <summary>What <c>getPasskey</c> answers: the credential's JSON, or an error (<c>cancelled</c>, <c>unsupported</c>, <c>failed</c>).</summary>
internal sealed record PasskeyCeremony(string? Credential, string? Error);
