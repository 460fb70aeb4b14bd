using System.Numerics;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Strict, allocation-free parsing of the numbers verification claims carry. Only canonical ASCII forms pass:
/// no sign (except fva's "-1"), no leading zeros, no whitespace, no exponent, no Unicode digits.
/// </summary>
internal static class ClaimValueParser
{
    /// <summary>The largest Unix time accepted: 9999-12-31T23:59:59Z.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>"0" or [1-9][0-9]{0,17}.</summary>
    public static bool TryParseNonNegativeInteger<T>(ReadOnlySpan<T> s, out long value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18)
        {
            return false;
        }

        if (s.Length > 1 && int.CreateTruncating(s[0]) == '0')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            var d = int.CreateTruncating(s[i]) - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>
    /// A Unix time in seconds (a JWT NumericDate): a canonical non-negative integer, optionally with a fraction
    /// ("1700000000.25"), which is truncated. At most <see cref="MaxUnixSeconds"/>.
    /// </summary>
    public static bool TryParseUnixSeconds<T>(ReadOnlySpan<T> s, out long seconds)
        where T : unmanaged, IBinaryInteger<T>
    {
        // One pass: the integer part up to an optional '.', then the fraction's digits.
        seconds = 0;
        long value = 0;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var d = int.CreateTruncating(s[i]) - '0';
            if ((uint)d > 9)
            {
                break;
            }

            if (i == 18)
            {
                return false; // more than 18 digits
            }

            value = (value * 10) + d;
        }

        if (i == 0 || (i > 1 && int.CreateTruncating(s[0]) == '0') || value > MaxUnixSeconds)
        {
            return false;
        }

        if (i < s.Length)
        {
            if (int.CreateTruncating(s[i]) != '.')
            {
                return false;
            }

            var fraction = s[(i + 1)..];
            if (fraction.IsEmpty || fraction.Length > 9)
            {
                return false;
            }

            foreach (var c in fraction)
            {
                if ((uint)(int.CreateTruncating(c) - '0') > 9)
                {
                    return false;
                }
            }
        }

        seconds = value;
        return true;
    }

    /// <summary>An element of Clerk's fva: "-1" (never, returned as -1) or a canonical non-negative integer of minutes.</summary>
    public static bool TryParseFvaMinutes<T>(ReadOnlySpan<T> s, out long minutes)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length == 2 && int.CreateTruncating(s[0]) == '-' && int.CreateTruncating(s[1]) == '1')
        {
            minutes = -1;
            return true;
        }

        return TryParseNonNegativeInteger(s, out minutes);
    }

    public static bool IsJsonWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    public static ReadOnlySpan<char> TrimJsonWhitespace(ReadOnlySpan<char> s)
    {
        var start = 0;
        while (start < s.Length && IsJsonWhitespace(s[start]))
        {
            start++;
        }

        var end = s.Length;
        while (end > start && IsJsonWhitespace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }
}
