namespace Reverification.AspNetCore.Internal;

/// <summary>Why an approval request cannot be answered with the approval prompt.</summary>
internal enum ApprovalProblem
{
    None = 0,

    /// <summary>The body is larger than <see cref="ReverificationOptions.ApprovalMaxBodyBytes"/>: 413.</summary>
    BodyTooLarge,

    /// <summary>Bound fields were asked for, and the body is not a JSON object or names a bound field twice; or the summary factory cannot describe the request: 400.</summary>
    InvalidBody,

    /// <summary>The store could not be reached: 503.</summary>
    StoreUnavailable,

    /// <summary>The caller has no single subject to bind the approval to: plain 403.</summary>
    NoSubject,
}
