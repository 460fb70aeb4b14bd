using System.Buffers.Text;
using System.Text.Json;

namespace Reverification.Identity.Internal;

/// <summary>
/// Reads the user-verification flag of a passkey assertion from the credential JSON the browser sent.
/// </summary>
/// <remarks>
/// Identity's <c>PasskeyAssertionResult.Passkey.IsUserVerified</c> is the flag stored when the passkey was registered,
/// not the flag of this assertion; the assertion's own flag is bit 2 (UV) of the flags byte of
/// <c>response.authenticatorData</c> (WebAuthn §6.1: 32 bytes of RP id hash, then the flags). Call it only after the
/// assertion succeeded: the passkey handler has then verified the signature over exactly these bytes. Anything
/// unreadable counts as not verified.
/// </remarks>
internal static class PasskeyUserVerification
{
    private const int FlagsOffset = 32;
    private const byte UserVerifiedFlag = 0x04;

    public static bool IsUserVerified(string? credentialJson)
    {
        if (string.IsNullOrEmpty(credentialJson))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(credentialJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("response", out var response)
                || response.ValueKind != JsonValueKind.Object
                || !response.TryGetProperty("authenticatorData", out var data)
                || data.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var encoded = data.GetString()!;
            var bytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
            if (Base64Url.DecodeFromChars(encoded, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written <= FlagsOffset)
            {
                return false;
            }

            return (bytes[FlagsOffset] & UserVerifiedFlag) != 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
