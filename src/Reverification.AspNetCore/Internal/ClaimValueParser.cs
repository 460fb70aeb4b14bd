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
        var dot = s.IndexOf(T.CreateTruncating('.'));
        if (dot >= 0)
        {
            var fraction = s[(dot + 1)..];
            if (fraction.IsEmpty || fraction.Length > 9)
            {
                seconds = 0;
                return false;
            }

            foreach (var c in fraction)
            {
                if ((uint)(int.CreateTruncating(c) - '0') > 9)
                {
                    seconds = 0;
                    return false;
                }
            }

            s = s[..dot];
        }

        return TryParseNonNegativeInteger(s, out seconds) && seconds <= MaxUnixSeconds;
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
