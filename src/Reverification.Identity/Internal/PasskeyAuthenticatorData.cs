using System.Buffers.Text;
using System.Text.Json;

namespace Reverification.Identity.Internal;

/// <summary>
/// Reads the user-verified (UV) flag of a passkey assertion from its authenticator data. Identity's assertion result
/// does not carry it (its <c>UserPasskeyInfo.IsUserVerified</c> is the flag at registration), so it is read from the
/// same <c>response.authenticatorData</c> bytes whose signature Identity verified: only after a successful assertion,
/// and only when the property is there exactly once (compared case-insensitively), so that both readers see the same
/// bytes.
/// </summary>
internal static class PasskeyAuthenticatorData
{
    /// <summary>The flags byte follows the 32-byte RP ID hash; the sign count (4 bytes) follows it.</summary>
    private const int FlagsOffset = 32;
    private const int MinimumLength = 37;
    private const byte UserVerifiedFlag = 0x04;

    public static bool TryReadUserVerified(JsonElement credential, out bool userVerified)
    {
        userVerified = false;
        if (!TryGetSingle(credential, "response", out var response)
            || !TryGetSingle(response, "authenticatorData", out var data)
            || data.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(data.GetString());
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length < MinimumLength)
        {
            return false;
        }

        userVerified = (bytes[FlagsOffset] & UserVerifiedFlag) != 0;
        return true;
    }

    private static bool TryGetSingle(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                count++;
            }
        }

        return count == 1;
    }
}
