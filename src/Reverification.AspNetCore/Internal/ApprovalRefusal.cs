namespace Reverification.AspNetCore.Internal;

/// <summary>Why an approval was refused, on the retry or when approving.</summary>
internal enum ApprovalRefusal
{
    /// <summary>The header is not an id's shape (or given twice).</summary>
    Malformed,

    /// <summary>Unknown, expired, not approved, or already consumed.</summary>
    NotFound,

    /// <summary>Another subject's approval.</summary>
    OtherUser,

    /// <summary>The request's digest differs from the approved one.</summary>
    Changed,

    /// <summary>Approving: the verified factors do not satisfy the level.</summary>
    InsufficientFactors,

    StoreUnavailable,

    BodyTooLarge,

    InvalidBody,
}
