namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>A user the test database was seeded with, and its secrets.</summary>
public sealed record SeededUser(string Id, string Email, string Password, string? AuthenticatorKey, IReadOnlyList<string> RecoveryCodes);
