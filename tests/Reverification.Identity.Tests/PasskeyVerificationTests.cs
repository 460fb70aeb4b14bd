using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// <c>POST /reverify/passkey/options</c> and <c>/passkey</c> through Identity's own passkey handler, with a software
/// authenticator: both factors with user verification, the second without; only the signed-in user's passkey.
/// </summary>
public class PasskeyVerificationTests
{
    public static TheoryData<IdentityTestMode> Modes() => [IdentityTestMode.Cookie, IdentityTestMode.Bearer];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Passkey_WithUserVerification_RecordsBothFactorsAndPassesStrictMfa(IdentityTestMode mode)
    {
        await using var app = await IdentityTestApp.StartAsync(mode);
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict-mfa")).StatusCode);

        var response = await AssertAsync(app, session, passkey, app.PasswordOnly, userVerified: true);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/strict-mfa")).StatusCode);
        using var methods = JsonDocument.Parse(await (await session.GetAsync("/reverify/methods")).Content.ReadAsStringAsync());
        Assert.Contains("passkey", methods.RootElement.GetProperty("methods").EnumerateArray().Select(static m => m.GetString()));
        Assert.Equal(0, methods.RootElement.GetProperty("firstFactorAgeSeconds").GetInt64());
        Assert.Equal(0, methods.RootElement.GetProperty("secondFactorAgeSeconds").GetInt64());
    }

    [Fact]
    public async Task Passkey_WithoutUserVerification_RecordsTheSecondFactorOnly()
    {
        await using var app = await IdentityTestApp.StartAsync(services: static s => s.Configure<IdentityPasskeyOptions>(static o => o.UserVerificationRequirement = "preferred"));
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.TwoFactor);
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await AssertAsync(app, session, passkey, app.TwoFactor, userVerified: false);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var methods = JsonDocument.Parse(await (await session.GetAsync("/reverify/methods")).Content.ReadAsStringAsync());
        // The first factor stays as the sign-in recorded it, too old for strict_mfa.
        Assert.Equal((long)IdentityTestApp.LongAgo.TotalSeconds, methods.RootElement.GetProperty("firstFactorAgeSeconds").GetInt64());
        Assert.Equal(0, methods.RootElement.GetProperty("secondFactorAgeSeconds").GetInt64());
        // strict_mfa needs a first factor too, which possession alone is not.
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict-mfa")).StatusCode);
    }

    [Fact]
    public async Task Passkey_WithoutUserVerificationWhenRequired_RefusedAndCounted()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInAsync(app.PasswordOnly);

        var problem = await Problem.ReadAsync(await AssertAsync(app, session, passkey, app.PasswordOnly, userVerified: false));

        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(1, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Fact]
    public async Task Passkey_AnotherUsersPasskey_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var victims = new SoftwarePasskey();
        using var attackers = new SoftwarePasskey();
        await victims.RegisterAsync(app, app.TwoFactor);
        await attackers.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        // Signed in as the two-factor user, answering with the other account's passkey (its own user handle).
        var problem = await Problem.ReadAsync(await AssertAsync(app, session, attackers, app.PasswordOnly, userVerified: true));

        Assert.Equal("wrong", problem.Reason);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict-mfa")).StatusCode);
    }

    [Fact]
    public async Task Passkey_SignatureOfAnotherKey_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var registered = new SoftwarePasskey();
        await registered.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInAsync(app.PasswordOnly);
        var options = await (await session.PostRawAsync("/reverify/passkey/options", "{}")).Content.ReadAsStringAsync();
        using var forger = new SoftwarePasskey();
        using var credential = JsonDocument.Parse(forger.CreateAssertion(options, app.PasswordOnly.Id, userVerified: true));
        // The registered credential's id, signed by another key.
        var forged = credential.RootElement.GetRawText()
            .Replace(System.Buffers.Text.Base64Url.EncodeToString(forger.CredentialId), System.Buffers.Text.Base64Url.EncodeToString(registered.CredentialId), StringComparison.Ordinal);

        var problem = await Problem.ReadAsync(await PostCredentialAsync(session, forged));

        Assert.Equal("wrong", problem.Reason);
    }

    [Fact]
    public async Task Passkey_AssertionWithoutOptions_AnswersInvalidRequestWithoutCounting()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInAsync(app.PasswordOnly);
        var options = """{"challenge":"AAAAAAAAAAAAAAAAAAAAAA","rpId":"localhost"}""";

        var problem = await Problem.ReadAsync(await PostCredentialAsync(session, passkey.CreateAssertion(options, app.PasswordOnly.Id, userVerified: true)));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("invalid_request", problem.Reason);
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Theory]
    [InlineData("""{"id":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA"}}""")]
    [InlineData("""{"response":{"authenticatorData":"not base64url!"}}""")]
    [InlineData("""{"response":{"authenticatorData":"AAAA","AUTHENTICATORDATA":"AAAA"}}""")]
    [InlineData("""{"response":"x"}""")]
    public async Task Passkey_MalformedCredential_AnswersInvalidRequestWithoutCounting(string credential)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await session.PostRawAsync("/reverify/passkey/options", "{}");

        var problem = await Problem.ReadAsync(await PostCredentialAsync(session, credential));

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("invalid_request", problem.Reason);
        Assert.Equal(0, await app.AccessFailedCountAsync(app.PasswordOnly));
    }

    [Fact]
    public async Task Passkey_WellFormedButInvalidCredentialJson_RefusedAsWrong()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var passkey = new SoftwarePasskey();
        await passkey.RegisterAsync(app, app.PasswordOnly);
        using var session = await app.SignInAsync(app.PasswordOnly);
        await session.PostRawAsync("/reverify/passkey/options", "{}");
        var authenticatorData = System.Buffers.Text.Base64Url.EncodeToString(new byte[37]);

        var problem = await Problem.ReadAsync(await PostCredentialAsync(session, "{\"response\":{\"authenticatorData\":\"" + authenticatorData + "\"}}"));

        Assert.Equal("wrong", problem.Reason);
    }

    [Fact]
    public async Task PasskeyOptions_UserWithoutPasskey_AnswersMethodUnavailable()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);

        var problem = await Problem.ReadAsync(await session.PostRawAsync("/reverify/passkey/options", "{}"));

        Assert.Equal("method_unavailable", problem.Reason);
    }

    [Fact]
    public async Task PasskeyOptions_SignedInUser_ListsOnlyTheirCredentials()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var mine = new SoftwarePasskey();
        using var theirs = new SoftwarePasskey();
        await mine.RegisterAsync(app, app.PasswordOnly);
        await theirs.RegisterAsync(app, app.TwoFactor);
        using var session = await app.SignInAsync(app.PasswordOnly);

        var response = await session.PostRawAsync("/reverify/passkey/options", "{}");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var options = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var allowed = options.RootElement.GetProperty("allowCredentials").EnumerateArray().Select(static c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([System.Buffers.Text.Base64Url.EncodeToString(mine.CredentialId)], allowed);
    }

    private static async Task<HttpResponseMessage> AssertAsync(IdentityTestApp app, TestSession session, SoftwarePasskey passkey, SeededUser credentialOwner, bool userVerified)
    {
        var options = await session.PostRawAsync("/reverify/passkey/options", "{}");
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var credential = passkey.CreateAssertion(await options.Content.ReadAsStringAsync(), credentialOwner.Id, userVerified);
        var response = await PostCredentialAsync(session, credential);
        if (response.IsSuccessStatusCode && app.Mode == IdentityTestMode.Bearer)
        {
            await session.UseTokensFromAsync(response);
        }

        return response;
    }

    private static Task<HttpResponseMessage> PostCredentialAsync(TestSession session, string credentialJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/reverify/passkey")
        {
            Content = new StringContent("{\"credential\":" + credentialJson + "}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://localhost");
        return session.SendAsync(request);
    }
}
