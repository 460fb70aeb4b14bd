using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reverification.Sample.Security;

namespace Reverification.Sample.Tests;

/// <summary>Where the sample's token signing key comes from: configured everywhere, generated in Development only.</summary>
public sealed class SigningKeyStoreTests : IDisposable
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), "reverification-keys-" + Guid.NewGuid().ToString("N"));

    private string KeyDirectory => Path.Combine(_contentRoot, "App_Data", "keys");

    public void Dispose()
    {
        if (Directory.Exists(_contentRoot))
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Constructor_OutsideDevelopmentWithoutKey_RefusesAndSaysWhatToSet(string environment)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Create(environment, signingKey: null));

        Assert.Contains("Sample:SigningKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Sample__SigningKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", exception.Message, StringComparison.Ordinal);
        Assert.Contains(environment, exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(KeyDirectory), "No key file may be made outside Development.");
    }

    [Fact]
    public void Constructor_OutsideDevelopmentWithKey_UsesIt()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        var store = Create("Production", Convert.ToBase64String(key));

        Assert.Equal(key, store.Key.Key);
        Assert.False(Directory.Exists(KeyDirectory));
    }

    [Fact]
    public void Constructor_DevelopmentWithoutKey_GeneratesOneAndKeepsIt()
    {
        var first = Create("Development", signingKey: null);
        var second = Create("Development", signingKey: null);

        Assert.Equal(32, first.Key.Key.Length);
        Assert.Equal(first.Key.Key, second.Key.Key);
        Assert.Equal(first.Key.Key, File.ReadAllBytes(Path.Combine(KeyDirectory, "jwt-signing-key.bin")));
    }

    [Fact]
    public void Constructor_DevelopmentWithKey_UsesTheConfiguredOne()
    {
        var key = Enumerable.Range(100, 48).Select(i => (byte)i).ToArray();

        var store = Create("Development", Convert.ToBase64String(key));

        Assert.Equal(key, store.Key.Key);
        Assert.False(Directory.Exists(KeyDirectory));
    }

    [Theory]
    [InlineData("c2hvcnQ=", "holds 5 bytes")]
    [InlineData("not base64!", "not valid base64")]
    public void Constructor_UnusableKey_SaysWhatIsWrong(string signingKey, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Create("Production", signingKey));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Sample:SigningKey", exception.Message, StringComparison.Ordinal);
    }

    private SigningKeyStore Create(string environment, string? signingKey)
        => new(Options.Create(new SampleOptions { SigningKey = signingKey }), new Environment(environment, _contentRoot));

    private sealed class Environment(string name, string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Reverification.Sample";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
