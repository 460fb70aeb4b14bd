namespace Reverification.Sample.Security;

/// <summary>The sample's settings (section <c>Sample</c>).</summary>
public sealed class SampleOptions
{
    /// <summary>
    /// Where the SQLite database and the data-protection keys (which protect the cookies) live; relative paths are
    /// under the content root. Default <c>App_Data</c> (git-ignored).
    /// </summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Registers a clock that tests can move forward and maps <c>/test/*</c>. Never turn it on in production.</summary>
    public bool EnableTestClock { get; set; }

    /// <summary>
    /// Sign-in attempts allowed per network address per minute. It comes on top of Identity's lockout, which counts
    /// wrong answers per account whatever the address.
    /// </summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
}
