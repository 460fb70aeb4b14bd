using System.Buffers.Text;
using System.Security.Cryptography;

namespace Reverification.AspNetCore.Internal;

/// <summary>Approval ids: 192 random bits, base64url without padding (32 characters).</summary>
internal static class ApprovalIds
{
    public const int Length = 32;
    private const int RandomBytes = 24;

    public static string Create()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    /// <summary>Whether the value has an id's shape; anything else is refused without asking the store.</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is not { Length: Length })
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What logs may show of an id: its first 6 characters (36 bits), never the bearer secret.</summary>
    public static string Prefix(string? id) => id is { Length: >= 6 } ? id[..6] + "…" : "(none)";
}
