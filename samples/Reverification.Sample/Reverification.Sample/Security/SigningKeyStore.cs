using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Reverification.Sample.Security;

/// <summary>
/// The key that signs the sample's access tokens (HMAC-SHA256): <see cref="SampleOptions.SigningKey"/> when it is set.
/// Outside the Development environment it must be set: the sample refuses to start without it, with a message that says
/// what to set. In Development only, without it, a development key is generated on first run: 256 random bits kept in
/// <c>{DataDirectory}/keys/</c> (git-ignored), so that the sample runs with no set-up and no key is ever committed.
/// </summary>
public sealed class SigningKeyStore
{
    /// <summary>The setting that holds the key (environment variable <c>Sample__SigningKey</c>).</summary>
    public const string SettingName = "Sample:SigningKey";

    /// <summary>The shortest key accepted, in bytes: HMAC-SHA256 wants at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    public SigningKeyStore(IOptions<SampleOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(options.Value.SigningKey))
        {
            Key = new SymmetricSecurityKey(Decode(options.Value.SigningKey)) { KeyId = "sample" };
            return;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"The sample needs a key to sign its access tokens, and {SettingName} is not set (environment: {environment.EnvironmentName}). "
                + $"Set {SettingName} to at least {MinimumKeyBytes} random bytes, base64-encoded, from a secret store or the environment, "
                + "for example: export Sample__SigningKey=\"$(openssl rand -base64 32)\". Never put it in a committed file. "
                + "Only in the Development environment does the sample generate a key of its own.");
        }

        var directory = Path.Combine(environment.ContentRootPath, options.Value.DataDirectory, "keys");
        var path = Path.Combine(directory, "jwt-signing-key.bin");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);

            // Created readable by its owner only (never world-readable, even for a moment).
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, file))
            {
                stream.Write(RandomNumberGenerator.GetBytes(MinimumKeyBytes));
            }
        }

        Key = new SymmetricSecurityKey(File.ReadAllBytes(path)) { KeyId = "sample-dev" };
    }

    public SymmetricSecurityKey Key { get; }

    private static byte[] Decode(string configured)
    {
        var buffer = new byte[configured.Length];
        if (!Convert.TryFromBase64String(configured.Trim(), buffer, out var length))
        {
            throw new InvalidOperationException(
                $"{SettingName} is not valid base64. Set it to at least {MinimumKeyBytes} random bytes, base64-encoded, for example the output of: openssl rand -base64 32");
        }

        if (length < MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{SettingName} holds {length} bytes; a token signing key needs at least {MinimumKeyBytes} random bytes (base64-encoded, for example the output of: openssl rand -base64 32).");
        }

        return buffer[..length];
    }
}
