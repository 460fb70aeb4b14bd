namespace Reverification.Client;

/// <summary>
/// A one-time approval the server asks for (<c>metadata.approval</c> of the answer): the user approves this one request,
/// verifying with the challenge's factors and this <see cref="Id"/>; <see cref="ReverificationHandler"/>'s retry then
/// carries the id in the <c>Reverification-Approval</c> header.
/// </summary>
/// <remarks>
/// Read defensively: an id that is not 1 to 128 URL-safe characters (letters, digits, <c>-</c>, <c>_</c>) makes the
/// approval absent; a summary longer than 500 characters is cut, and control characters in it become spaces; a lifetime
/// that is not a positive number is absent, and one longer than a day is read as a day.
/// </remarks>
public sealed class ReverificationChallengeApproval : IEquatable<ReverificationChallengeApproval>
{
    internal ReverificationChallengeApproval(string id, string? summary, TimeSpan? expiresIn)
    {
        Id = id;
        Summary = summary;
        ExpiresIn = expiresIn;
    }

    /// <summary>The approval's id: send it with the verification (the Identity endpoints' <c>approvalId</c>).</summary>
    public string Id { get; }

    /// <summary>What the user approves, as the server describes it ("Send 25.00 EUR to Carol"); may be <see langword="null"/>.</summary>
    public string? Summary { get; }

    /// <summary>How long the approval stays valid from the answer, when the server says.</summary>
    public TimeSpan? ExpiresIn { get; }

    /// <inheritdoc/>
    public bool Equals(ReverificationChallengeApproval? other)
        => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ReverificationChallengeApproval);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);
}
