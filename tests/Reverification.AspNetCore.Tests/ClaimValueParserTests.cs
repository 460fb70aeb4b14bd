using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests;

public partial class ClaimValueParserTests
{
    // The format, stated independently of the parser: a canonical integer of at most 18 digits, an optional fraction
    // of 1 to 9 digits (truncated), at most 9999-12-31T23:59:59Z.
    [GeneratedRegex(@"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSecondsFormat();

    private static (bool Ok, long Value) Expected(string s)
    {
        var match = UnixSecondsFormat().Match(s);
        if (!match.Success)
        {
            return (false, 0);
        }

        var value = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return value <= ClaimValueParser.MaxUnixSeconds ? (true, value) : (false, 0);
    }

    private static void AssertAgrees(string s)
    {
        var (ok, value) = Expected(s);
        var parsedChars = ClaimValueParser.TryParseUnixSeconds(s.AsSpan(), out var chars);
        var parsedBytes = ClaimValueParser.TryParseUnixSeconds((ReadOnlySpan<byte>)Encoding.UTF8.GetBytes(s), out var bytes);
        Assert.True(ok == parsedChars, $"'{s}': expected {ok}, got {parsedChars}");
        Assert.True(ok == parsedBytes, $"'{s}' (UTF-8): expected {ok}, got {parsedBytes}");
        Assert.Equal(ok ? value : 0, chars);
        Assert.Equal(ok ? value : 0, bytes);
    }

    [Fact]
    public void TryParseUnixSeconds_EveryShortString_AgreesWithTheFormat()
    {
        const string alphabet = "019.x";
        var count = 0;
        for (var length = 0; length <= 6; length++)
        {
            var indexes = new int[length];
            while (true)
            {
                AssertAgrees(new string(indexes.Select(i => alphabet[i]).ToArray()));
                count++;
                var position = length - 1;
                while (position >= 0 && ++indexes[position] == alphabet.Length)
                {
                    indexes[position--] = 0;
                }

                if (position < 0)
                {
                    break;
                }
            }
        }

        Assert.Equal(19531, count); // 5^0 + ... + 5^6
    }

    [Fact]
    public void TryParseUnixSeconds_RandomLongStrings_AgreeWithTheFormat()
    {
        var random = new Random(7);
        const string alphabet = "01234567899999.";
        for (var n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(1, 32)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            AssertAgrees(new string(chars));
        }
    }

    [Theory]
    [InlineData("253402300799", true)]
    [InlineData("253402300799.999999999", true)]
    [InlineData("253402300800", false)]
    [InlineData("999999999999999999", false)]
    [InlineData("1000000000000000000", false)]
    [InlineData("1790000000.1234567890", false)]
    [InlineData("1790000000.1.2", false)]
    [InlineData("0.5", true)]
    [InlineData("00.5", false)]
    public void TryParseUnixSeconds_Boundaries_AgreeWithTheFormat(string value, bool ok)
    {
        Assert.Equal(ok, Expected(value).Ok);
        AssertAgrees(value);
    }
}
