using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Reverification.Sample.Security;

/// <summary>
/// A development signing key for the sample's tokens: 256 random bits, generated on first run and kept in
/// <c>{DataDirectory}/keys/</c> (git-ignored). A real app keeps its key in a secret store, or uses an identity provider.
/// </summary>
public sealed class SigningKeyStore
{
    public SigningKeyStore(IOptions<SampleOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var directory = Path.Combine(environment.ContentRootPath, options.Value.DataDirectory, "keys");
        var path = Path.Combine(directory, "jwt-signing-key.bin");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        Key = new SymmetricSecurityKey(File.ReadAllBytes(path)) { KeyId = "sample-dev" };
    }

    public SymmetricSecurityKey Key { get; }
}
