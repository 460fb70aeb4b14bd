using System.Net;
using System.Text;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>Bad input and anonymous callers get a clear 4xx: never a 500, never a pass, never a counted failure.</summary>
public class BadInputTests
{
    public static TheoryData<string, string> BadBodies() => new()
    {
        { "password", """{"password":""}""" },
        { "password", """{}""" },
        { "password", $$"""{"password":"{{new string('p', 1025)}}"}""" },
        { "password", """{"password":42}""" },
        { "password", """{"password":"a","password":"b"}""" },
        { "password", """{"password":""" },
        { "password", """[]""" },
        { "password", """null""" },
        { "password", "" },
        { "authenticator", """{"code":"12345"}""" },
        { "authenticator", """{"code":"1234567"}""" },
        { "authenticator", """{"code":"12a456"}""" },
        { "authenticator", """{"code":"١٢٣٤٥٦"}""" },
        { "authenticator", """{"code":null}""" },
        { "recovery-code", """{"code":"  "}""" },
        { "recovery-code", $$"""{"code":"{{new string('A', 65)}}"}""" },
        { "passkey", """{}""" },
        { "passkey", """{"credential":"not an object"}""" },
        { "passkey", """{"credential":{"response":{}}}""" },
        { "passkey", """{"credential":{"response":{"authenticatorData":"***"}}}""" },
        { "passkey", """{"credential":{"response":{"authenticatorData":"AAAA","AuthenticatorData":"AAAA"}}}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Verify_BadBody_AnswersBadRequestWithoutCounting(string method, string body)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));

        var response = await session.PostRawAsync($"/reverify/{method}", body);

        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains(problem.Reason, new[] { "invalid_request", "method_unavailable" });
        Assert.Equal(0, await app.AccessFailedCountAsync(app.TwoFactor));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "password=Correct-Horse-9")]
    [InlineData("text/plain", """{"password":"Correct-Horse-9"}""")]
    [InlineData("multipart/form-data; boundary=x", "--x--")]
    public async Task Password_NotJsonContentType_AnswersUnsupportedMediaType(string contentType, string body)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.PasswordOnly);

        var response = await session.PostRawAsync("/reverify/password", body, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }

    [Fact]
    public async Task Passkey_BodyLargerThanTheLimit_AnswersPayloadTooLarge()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        var body = "{\"credential\":{\"id\":\"" + new string('A', 40_000) + "\"}}";

        var response = await session.PostRawAsync("/reverify/passkey", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Password_ChunkedBodyLargerThanTheLimit_AnswersPayloadTooLarge()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.PasswordOnly);
        var request = new HttpRequestMessage(HttpMethod.Post, "/reverify/password")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"password":"{{new string('p', 40_000)}}"}"""))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        var response = await session.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/reverify/methods" },
        { "POST", "/reverify/password" },
        { "POST", "/reverify/authenticator" },
        { "POST", "/reverify/recovery-code" },
        { "POST", "/reverify/passkey/options" },
        { "POST", "/reverify/passkey" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_AnonymousCookieApp_AnswersUnauthorized(string method, string path)
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Cookie);
        using var session = app.CreateSession();

        var response = await session.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("""{"password":"Correct-Horse-9","code":"123456"}""", Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_AnonymousOrForgedBearer_AnswersUnauthorized(string method, string path)
    {
        await using var app = await IdentityTestApp.StartAsync(IdentityTestMode.Bearer);
        using var session = app.CreateSession();
        session.AccessToken = "not-a-token";

        var response = await session.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("""{"password":"Correct-Horse-9"}""", Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("password", """{"password":"Correct-Horse-9"}""")]
    [InlineData("authenticator", """{"code":"123456"}""")]
    [InlineData("recovery-code", """{"code":"AAAAA-BBBBB"}""")]
    [InlineData("passkey/options", "{}")]
    public async Task Verify_UserDeletedAfterSignIn_AnswersUserNotFound(string method, string body)
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.DeleteAsync(user));

        var problem = await Problem.ReadAsync(await session.PostRawAsync($"/reverify/{method}", body));

        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("user_not_found", problem.Reason);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/strict")).StatusCode);
    }
}
