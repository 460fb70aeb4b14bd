using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Reverification.Identity.Internal;

/// <summary>
/// Binds recorded verification times to the user's security stamp: the <see cref="ClaimType"/> claim holds a digest of
/// the user id and the stamp at the time of recording, never the stamp itself (Identity derives email and phone codes
/// from it). When the stamp changes (a new password, a reset authenticator, a removed passkey,
/// <c>UpdateSecurityStampAsync</c>), the digest no longer matches and the times stop counting.
/// </summary>
internal static class VerificationStamp
{
    /// <summary>The claim that carries the digest, beside the verification times.</summary>
    public const string ClaimType = "rv_stamp";

    // A fixed HMAC key only separates this digest from any other use of the stamp; the stamp itself is 160 random bits,
    // so the digest reveals nothing about it. 128 bits of the HMAC are kept.
    private static readonly byte[] Key = "Reverification.Identity security-stamp binding v1"u8.ToArray();

    /// <summary>The digest of <paramref name="userId"/> and <paramref name="securityStamp"/>, base64url, 22 characters.</summary>
    public static string Compute(string userId, string securityStamp)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(securityStamp);
        var input = Encoding.UTF8.GetBytes($"{userId.Length}:{userId}:{securityStamp}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Key, input, mac);
        return Base64Url.EncodeToString(mac[..16]);
    }

    /// <summary>Whether <paramref name="presented"/> is <paramref name="expected"/>, compared in constant time.</summary>
    public static bool Matches(string? presented, string? expected)
    {
        if (presented is null || expected is null || presented.Length != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            MemoryMarshalBytes(presented), MemoryMarshalBytes(expected));
    }

    private static ReadOnlySpan<byte> MemoryMarshalBytes(string value)
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan());
}
