namespace Reverification.AspNetCore;

/// <summary>
/// A one-time approval as an <see cref="IReverificationApprovalStore"/> keeps it: pending, then approved, then consumed
/// (removed).
/// </summary>
public sealed class ReverificationApproval
{
    /// <summary>The id: URL-safe, at least 128 random bits; a bearer secret until it is consumed.</summary>
    public required string Id { get; init; }

    /// <summary>The subject (<c>sub</c> or name identifier) of the user who must approve and send it.</summary>
    public required string Subject { get; init; }

    /// <summary>The SHA-256 digest of what is approved (method, path, query, and the body or the named fields).</summary>
    public required ReadOnlyMemory<byte> Digest { get; init; }

    /// <summary>The factors of the level: approving needs them.</summary>
    public required ReverificationFactors Factors { get; init; }

    /// <summary>When it expires, pending or approved.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The text the user approves, if the endpoint gives one.</summary>
    public string? Summary { get; init; }

    /// <summary>Whether the user approved it.</summary>
    public bool IsApproved { get; init; }
}
