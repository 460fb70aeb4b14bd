namespace Reverification.Client;

/// <summary>
/// Options of <see cref="ReverificationHandler"/>.
/// </summary>
public sealed class ReverificationHandlerOptions
{
    /// <summary>The default of <see cref="MaxReplayableContentBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxReplayableContentBytes = 1024 * 1024;

    /// <summary>
    /// The largest request body the handler buffers so that it can send it again after a reverification.
    /// Default: <see cref="DefaultMaxReplayableContentBytes"/> (1 MiB).
    /// </summary>
    /// <remarks>
    /// A larger body, and a <see cref="StreamContent"/> whose length is not known (a stream that cannot seek), is sent
    /// as it is without buffering; if such a request then needs reverification, the handler throws an
    /// <see cref="InvalidOperationException"/> instead of prompting and resending an empty body.
    /// </remarks>
    public long MaxReplayableContentBytes { get; set; } = DefaultMaxReplayableContentBytes;

    /// <summary>
    /// Whether an RFC 9470 challenge (<c>WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=N</c>)
    /// is recognised when the body is not the contract's. Default: <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// The header names no factors, so a challenge read from it asks for
    /// <see cref="ReverificationFactors.SecondFactor"/> within <c>max_age</c>; a challenge without <c>max_age</c> is
    /// not recognised.
    /// </remarks>
    public bool RecognizeChallengeHeader { get; set; } = true;
}
