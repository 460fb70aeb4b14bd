using Reverification.Identity.Internal;

namespace Reverification.Identity.Tests;

/// <summary>The stamp binding: a digest of user id and stamp, never the stamp itself.</summary>
public class VerificationStampTests
{
    [Fact]
    public void Compute_SameInput_SameDigestWithoutTheStamp()
    {
        var digest = VerificationStamp.Compute("user-1", "STAMPSTAMPSTAMPSTAMPSTAMPSTAMP32");

        Assert.Equal(digest, VerificationStamp.Compute("user-1", "STAMPSTAMPSTAMPSTAMPSTAMPSTAMP32"));
        Assert.Equal(22, digest.Length);
        Assert.DoesNotContain("STAMP", digest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user-2", "STAMP-A")]
    [InlineData("user-1", "STAMP-B")]
    [InlineData("user-1:STAMP-A", "")]
    public void Compute_OtherUserOrStamp_OtherDigest(string userId, string stamp)
        => Assert.NotEqual(VerificationStamp.Compute("user-1", "STAMP-A"), VerificationStamp.Compute(userId, stamp));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public void Matches_OtherValue_IsFalse(string? presented)
        => Assert.False(VerificationStamp.Matches(presented, VerificationStamp.Compute("user-1", "STAMP-A")));

    [Fact]
    public void Matches_SameValue_IsTrue()
        => Assert.True(VerificationStamp.Matches(VerificationStamp.Compute("user-1", "STAMP-A"), VerificationStamp.Compute("user-1", "STAMP-A")));
}
