using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// The endpoints for an app on its own JWTs (real JwtBearer, tokens signed with Microsoft.IdentityModel.Tokens), as
/// <c>ReverificationForm</c> calls them with <c>IReverificationFormAuthorization</c>: the Authorization header, no
/// cookie. The endpoints authenticate with the scheme the app names on their group; <c>IssueToken</c> answers the new
/// token.
/// </summary>
public class JwtBearerEndpointTests
{
    private const string Issuer = "https://issuer.reverification.test";
    private const string Audience = "reverification-identity-tests";
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));

    private static readonly AuthorizationPolicy JwtOnly = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .Build();

    private static string Sign(string userId, IEnumerable<Claim> claims)
        => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", userId), .. claims]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });

    private static Task<IdentityTestApp> StartAsync(bool issueToken = true)
        => IdentityTestApp.StartAsync(
            IdentityTestMode.Cookie,
            configure: o =>
            {
                if (issueToken)
                {
                    o.IssueToken = context => ValueTask.FromResult(Results.Json(new { accessToken = Sign(context.UserId, context.Claims) }));
                }
            },
            services: static s => s.AddAuthentication().AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = Key,
            }),
            reverify: static group => group.RequireAuthorization(JwtOnly),
            endpoints: static app =>
            {
                app.MapGet("/jwt/strict", () => "strict ok").RequireAuthorization(JwtOnly).RequireReverification("strict");
                app.MapPost("/jwt/pay", () => "paid").RequireAuthorization(JwtOnly).RequireApproval("strict_mfa", "Pay 10.00 EUR to Carol");
            });

    /// <summary>A client with no cookie jar: what the form's fetch with <c>credentials: "omit"</c> sends.</summary>
    private static HttpClient Client(IdentityTestApp app) => app.App.GetTestServer().CreateClient();

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body = null, string? approvalId = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (approvalId is not null)
        {
            request.Headers.Add("Reverification-Approval", approvalId);
        }

        return client.SendAsync(request);
    }

    private static async Task<string> NewTokenAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.False(response.Headers.Contains("Set-Cookie"), "a bearer caller gets no cookie");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task JwtCaller_MethodsPasswordAndCode_TheNewTokenPassesStrictAndTheOldOneDoesNot()
    {
        await using var app = await StartAsync();
        using var client = Client(app);
        var user = app.TwoFactor;
        var signedIn = Sign(user.Id, []); // no verification times: never passes
        app.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, "/jwt/strict", signedIn)).StatusCode);
        var methods = await SendAsync(client, HttpMethod.Get, "/reverify/methods", signedIn);
        Assert.Equal(HttpStatusCode.OK, methods.StatusCode);
        using (var json = JsonDocument.Parse(await methods.Content.ReadAsStringAsync()))
        {
            Assert.Equal(["password", "authenticator", "recovery_code"], json.RootElement.GetProperty("methods").EnumerateArray().Select(static m => m.GetString()));
        }

        var afterPassword = await NewTokenAsync(await SendAsync(client, HttpMethod.Post, "/reverify/password", signedIn, new { password = user.Password }));
        var afterCode = await NewTokenAsync(await SendAsync(client, HttpMethod.Post, "/reverify/authenticator", afterPassword, new { code = app.Code(user) }));

        var strict = await SendAsync(client, HttpMethod.Get, "/jwt/strict", afterCode);
        Assert.Equal(HttpStatusCode.OK, strict.StatusCode);
        Assert.Equal("strict ok", await strict.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, "/jwt/strict", signedIn)).StatusCode);
    }

    [Fact]
    public async Task NoToken_Endpoints401_NotTheCookieChallenge()
    {
        await using var app = await StartAsync();
        using var client = Client(app);

        var response = await client.GetAsync("/reverify/methods");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedToken_Refused401()
    {
        await using var app = await StartAsync();
        using var client = Client(app);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", app.TwoFactor.Id)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });

        var response = await SendAsync(client, HttpMethod.Post, "/reverify/password", forged, new { password = app.TwoFactor.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task JwtCaller_StrictMfaApproval_PasswordPendingThenCodeApprovedAndTheRetryPassesOnce()
    {
        await using var app = await StartAsync();
        using var client = Client(app);
        var user = app.TwoFactor;
        var token = Sign(user.Id, []);

        var first = await SendAsync(client, HttpMethod.Post, "/jwt/pay", token);
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        string id;
        using (var json = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
        {
            id = json.RootElement.GetProperty("clerk_error").GetProperty("metadata").GetProperty("approval").GetProperty("id").GetString()!;
        }

        var password = await SendAsync(client, HttpMethod.Post, "/reverify/password", token, new { password = user.Password, approvalId = id });
        Assert.Equal("pending", Assert.Single(password.Headers.GetValues("Reverification-Approval-State")));
        token = await NewTokenAsync(password);
        var code = await SendAsync(client, HttpMethod.Post, "/reverify/authenticator", token, new { code = app.Code(user), approvalId = id });
        Assert.Equal("approved", Assert.Single(code.Headers.GetValues("Reverification-Approval-State")));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, "/jwt/pay", token, approvalId: id)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Post, "/jwt/pay", token, approvalId: id)).StatusCode);
    }

    [Fact]
    public async Task JwtCallerWithoutIssueToken_CannotRecordBeforeUsingUpTheRecoveryCode()
    {
        // JwtBearer cannot sign in: without IssueToken the endpoint has no token to answer, and says so before it
        // checks or uses up anything.
        await using var app = await StartAsync(issueToken: false);
        using var client = Client(app);
        var user = app.TwoFactor;

        var response = await SendAsync(client, HttpMethod.Post, "/reverify/recovery-code", Sign(user.Id, []), new { code = user.RecoveryCodes[0] });

        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("cannot_record", problem.Reason);
        Assert.Contains("IssueToken", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(user.RecoveryCodes.Count, await app.WithUserAsync(user, static (users, u) => users.CountRecoveryCodesAsync(u)));
    }
}
