using Reverification.Identity.Internal;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>The UV flag of a passkey assertion, read from the credential JSON; anything unreadable is "not verified".</summary>
public class PasskeyUserVerificationTests
{
    private static readonly SeededUser User = new("id", "a@example.com", "p", null, []);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IsUserVerified_AssertionFlag_IsRead(bool userVerified)
        => Assert.Equal(userVerified, PasskeyUserVerification.IsUserVerified(FakePasskeyHandler.CredentialJson(User, userVerified)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"response\":{}}")]
    [InlineData("{\"response\":{\"authenticatorData\":42}}")]
    [InlineData("{\"response\":{\"authenticatorData\":\"!!!\"}}")]
    [InlineData("{\"response\":{\"authenticatorData\":\"BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU\"}}")] // 32 bytes: no flags byte
    public void IsUserVerified_Unreadable_IsFalse(string? json)
        => Assert.False(PasskeyUserVerification.IsUserVerified(json));
}
