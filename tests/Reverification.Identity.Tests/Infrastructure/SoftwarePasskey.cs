using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// A software authenticator: an ES256 key pair registered as a user's passkey straight in the Identity store, and
/// WebAuthn assertions signed with it (authenticator data, client data and signature as a browser would send them), so
/// that Identity's own passkey handler verifies them without a browser.
/// </summary>
public sealed class SoftwarePasskey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private uint _signCount;

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>Stores the public key as a passkey of <paramref name="user"/>.</summary>
    public Task RegisterAsync(IdentityTestApp app, SeededUser user)
        => app.WithUserAsync(user, async (users, found) =>
        {
            var passkey = new UserPasskeyInfo(
                CredentialId,
                CoseKey(),
                app.Time.GetUtcNow(),
                signCount: 0,
                transports: ["internal"],
                isUserVerified: true,
                isBackupEligible: false,
                isBackedUp: false,
                attestationObject: [],
                clientDataJson: []);
            var result = await users.AddOrUpdatePasskeyAsync(found, passkey);
            Xunit.Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(static e => e.Description)));
            return result;
        });

    /// <summary>
    /// The JSON of the <c>PublicKeyCredential</c> that answers <paramref name="requestOptionsJson"/>, for
    /// <paramref name="userId"/>, with or without the user-verified flag.
    /// </summary>
    public string CreateAssertion(string requestOptionsJson, string userId, bool userVerified, string origin = "http://localhost")
    {
        using var options = JsonDocument.Parse(requestOptionsJson);
        var challenge = options.RootElement.GetProperty("challenge").GetString()!;
        var rpId = options.RootElement.GetProperty("rpId").GetString()!;

        var clientData = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "webauthn.get",
            ["challenge"] = challenge,
            ["origin"] = origin,
            ["crossOrigin"] = false,
        });
        var authenticatorData = new byte[37];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(authenticatorData, 0);
        authenticatorData[32] = (byte)(0x01 | (userVerified ? 0x04 : 0x00)); // UP, and UV when asked
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(authenticatorData.AsSpan(33), ++_signCount);
        byte[] signed = [.. authenticatorData, .. SHA256.HashData(clientData)];
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Base64Url.EncodeToString(CredentialId),
            ["rawId"] = Base64Url.EncodeToString(CredentialId),
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["clientExtensionResults"] = new Dictionary<string, object>(),
            ["response"] = new Dictionary<string, object>
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
                ["signature"] = Base64Url.EncodeToString(signature),
                ["userHandle"] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(userId)),
            },
        });
    }

    public void Dispose() => _key.Dispose();

    /// <summary>The public key as a COSE_Key (RFC 9053): EC2, ES256, P-256, x, y, in CTAP2 canonical order.</summary>
    private byte[] CoseKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        return [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, .. point.X!, 0x22, 0x58, 0x20, .. point.Y!];
    }
}
