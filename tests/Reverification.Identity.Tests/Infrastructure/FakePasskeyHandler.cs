using System.Buffers.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// A passkey handler that accepts any assertion naming a user (<c>response.userHandle</c> = the user id): it stands for
/// the browser and the signature check, so that Identity's own <c>PasskeySignInAsync</c> runs without a browser. The
/// passkey it returns is stored as registered <em>with</em> user verification, so a test can tell that sign-in reads the
/// flag of the assertion (<see cref="CredentialJson"/>), not the stored one.
/// </summary>
public sealed class FakePasskeyHandler : IPasskeyHandler<TestUser>
{
    public Task<PasskeyCreationOptionsResult> MakeCreationOptionsAsync(PasskeyUserEntity userEntity, HttpContext httpContext)
        => throw new NotSupportedException();

    public Task<PasskeyRequestOptionsResult> MakeRequestOptionsAsync(TestUser? user, HttpContext httpContext)
        => Task.FromResult(new PasskeyRequestOptionsResult { RequestOptionsJson = "{}", AssertionState = "fake" });

    public Task<PasskeyAttestationResult> PerformAttestationAsync(PasskeyAttestationContext context)
        => throw new NotSupportedException();

    public async Task<PasskeyAssertionResult<TestUser>> PerformAssertionAsync(PasskeyAssertionContext context)
    {
        using var json = JsonDocument.Parse(context.CredentialJson);
        var userId = json.RootElement.GetProperty("response").GetProperty("userHandle").GetString()!;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<TestUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("No such user.");
        var passkey = new UserPasskeyInfo(
            credentialId: [1, 2, 3, 4], publicKey: [5, 6, 7], createdAt: DateTimeOffset.UnixEpoch, signCount: 0, transports: null,
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [], clientDataJson: []);
        return PasskeyAssertionResult.Success(passkey, user);
    }

    /// <summary>The credential JSON a browser would send, with the UV flag of this assertion set or not.</summary>
    public static string CredentialJson(SeededUser user, bool userVerified)
    {
        var authenticatorData = new byte[37];
        authenticatorData[32] = (byte)(0x01 | (userVerified ? 0x04 : 0)); // UP, and UV when verified
        return JsonSerializer.Serialize(new
        {
            id = "AQIDBA",
            rawId = "AQIDBA",
            type = "public-key",
            response = new
            {
                authenticatorData = Base64Url.EncodeToString(authenticatorData),
                clientDataJSON = "e30",
                signature = "AA",
                userHandle = user.Id,
            },
        });
    }
}
