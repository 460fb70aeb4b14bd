namespace Reverification.Identity.Internal;

/// <summary>What checking an authenticator code found.</summary>
internal enum AuthenticatorCodeResult
{
    /// <summary>The code is right and its time step was not used before; the step is now recorded as used.</summary>
    Verified,

    /// <summary>The code matches no step of the window (or is not six digits).</summary>
    Wrong,

    /// <summary>
    /// The code is right, but its time step (or a later one) was already used, or another request recorded a use at the
    /// same moment: refused.
    /// </summary>
    Replayed,

    /// <summary>The user has no authenticator key.</summary>
    NotEnrolled,
}
