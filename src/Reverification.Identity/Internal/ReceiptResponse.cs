namespace Reverification.Identity.Internal;

/// <summary>The answer of <c>POST {prefix}/receipt</c>.</summary>
internal sealed class ReceiptResponse
{
    /// <summary>The data-protected receipt (base64url).</summary>
    public required string Receipt { get; init; }

    /// <summary>Seconds until the receipt expires.</summary>
    public required long ExpiresIn { get; init; }
}
