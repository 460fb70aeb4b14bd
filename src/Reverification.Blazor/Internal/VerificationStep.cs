namespace Reverification.Blazor.Internal;

/// <summary>What <see cref="ReverificationForm"/> asks for next.</summary>
internal enum VerificationStep
{
    /// <summary>Nothing: the level is satisfied.</summary>
    Done = 0,

    /// <summary>The first factor: the password (or a passkey with user verification).</summary>
    FirstFactor = 1,

    /// <summary>The second factor: an authenticator code, a recovery code (or a passkey).</summary>
    SecondFactor = 2,
}
