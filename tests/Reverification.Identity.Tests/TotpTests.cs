using System.Text;
using Reverification.Identity.Internal;

namespace Reverification.Identity.Tests;

/// <summary>The RFC 6238 computation and the Base32 keys, against the RFC's vectors and Otp.NET.</summary>
public class TotpTests
{
    // RFC 6238 appendix B, SHA-1 seed; the last six digits of its eight-digit values.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Compute_Rfc6238Vectors_MatchTheLastSixDigits(long unixSeconds, string expected)
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        var code = new byte[Totp.Digits];

        Totp.Compute(key, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), code);

        Assert.Equal(expected, Encoding.ASCII.GetString(code));
    }

    [Fact]
    public void MatchingSteps_CodeOfTheNextStep_ReturnsThatStep()
    {
        var key = Encoding.ASCII.GetBytes("12345678901234567890");
        var totp = new OtpNet.Totp(key);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var next = totp.ComputeTotp(now.UtcDateTime.AddSeconds(30));

        var steps = Totp.MatchingSteps(key, next, Totp.StepAt(now), window: 1);

        Assert.Equal([Totp.StepAt(now) + 1], steps);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("+12345")]
    public void MatchingSteps_NotSixDigits_MatchesNothing(string code)
        => Assert.Empty(Totp.MatchingSteps(Encoding.ASCII.GetBytes("12345678901234567890"), code, 56_666_666, window: 1));

    [Fact]
    public void DecodeKey_IdentityStyleKey_MatchesOtpNet()
    {
        const string Key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

        Assert.Equal(OtpNet.Base32Encoding.ToBytes(Key), Totp.DecodeKey(Key));
        Assert.Equal(OtpNet.Base32Encoding.ToBytes(Key), Totp.DecodeKey("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("JBSWY3DP!")]
    [InlineData("01890")]
    public void DecodeKey_NotBase32_ReturnsNull(string? key) => Assert.Null(Totp.DecodeKey(key));
}
