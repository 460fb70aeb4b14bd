using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Reverification.Identity.Internal;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps and ASP.NET Core Identity compute them: HMAC-SHA1,
/// 6 digits, 30-second steps, the key in Base32 (RFC 4648).
/// </summary>
internal static class Totp
{
    public const int Digits = 6;

    public static readonly TimeSpan StepLength = TimeSpan.FromSeconds(30);

    /// <summary>The time step <paramref name="time"/> falls in.</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / (long)StepLength.TotalSeconds;

    /// <summary>Whether <paramref name="code"/> is exactly six ASCII digits.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> code)
    {
        if (code.Length != Digits)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The steps from <c>current - window</c> to <c>current + window</c> whose code is <paramref name="code"/>, oldest
    /// first. Every step of the window is computed and compared in constant time, so the time taken does not tell
    /// which step (if any) matched.
    /// </summary>
    public static List<long> MatchingSteps(ReadOnlySpan<byte> key, ReadOnlySpan<char> code, long current, int window)
    {
        var matches = new List<long>(1);
        if (!IsWellFormed(code))
        {
            return matches;
        }

        Span<byte> given = stackalloc byte[Digits];
        for (var i = 0; i < Digits; i++)
        {
            given[i] = (byte)code[i];
        }

        Span<byte> expected = stackalloc byte[Digits];
        for (var step = current - window; step <= current + window; step++)
        {
            Compute(key, step, expected);
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                matches.Add(step);
            }
        }

        return matches;
    }

    /// <summary>Writes the code of <paramref name="step"/> as six ASCII digits into <paramref name="destination"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, long step, Span<byte> destination)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it: HMAC-SHA1 is what they compute.
        HMACSHA1.HashData(key, counter, hash);
#pragma warning restore CA5350

        // RFC 4226 dynamic truncation.
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.Slice(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        for (var i = Digits - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (binary % 10));
            binary /= 10;
        }
    }

    /// <summary>
    /// Decodes a Base32 key (RFC 4648 alphabet, case-insensitive; spaces and padding ignored), as Identity stores it.
    /// </summary>
    /// <returns>The key, or <see langword="null"/> when it is empty or not Base32.</returns>
    public static byte[]? DecodeKey(string? base32)
    {
        if (string.IsNullOrWhiteSpace(base32))
        {
            return null;
        }

        var output = new byte[base32.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var length = 0;
        foreach (var c in base32)
        {
            int value;
            if (c is >= 'A' and <= 'Z')
            {
                value = c - 'A';
            }
            else if (c is >= 'a' and <= 'z')
            {
                value = c - 'a';
            }
            else if (c is >= '2' and <= '7')
            {
                value = c - '2' + 26;
            }
            else if (c is '=' or ' ')
            {
                continue;
            }
            else
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output[length++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        return length == 0 ? null : output.AsSpan(0, length).ToArray();
    }
}
