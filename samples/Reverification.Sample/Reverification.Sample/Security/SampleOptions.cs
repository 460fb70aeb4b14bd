namespace Reverification.Sample.Security;

/// <summary>The sample's settings (section <c>Sample</c>).</summary>
public sealed class SampleOptions
{
    /// <summary>
    /// Where the SQLite database and the development signing key live; relative paths are under the content root.
    /// Default <c>App_Data</c> (git-ignored).
    /// </summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Registers a clock that tests can move forward and maps <c>/test/*</c>. Never turn it on in production.</summary>
    public bool EnableTestClock { get; set; }

    /// <summary>Reverification attempts (password or code checks) allowed per user and address per minute.</summary>
    public int VerifyAttemptsPerMinute { get; set; } = 5;

    /// <summary>Sign-in attempts allowed per address per minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// The key that signs the sample's access tokens: at least 32 random bytes, base64-encoded (for example
    /// <c>openssl rand -base64 32</c>). Required outside the Development environment; give it from a secret store or
    /// the environment (<c>Sample__SigningKey</c>), never from a committed file. In Development, when it is not set, a
    /// key is generated on first run (see <see cref="SigningKeyStore"/>).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long an access token lives. Reverification freshness is separate: it lives in the token's claims.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
