using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// A real app on TestServer, real JwtBearer, tokens signed with Microsoft.IdentityModel.Tokens.
/// </summary>
public class ReverificationIntegrationTests
{
    private static readonly string StrictBody = Answer.Body("strict");

    private static Task<TestApp> MinimalAppAsync(Action<ReverificationOptions>? configure = null)
        => TestApp.StartAsync(app =>
        {
            app.MapPost("/transfer", () => "done").RequireReverification("strict");
            app.MapGet("/authorized", () => "ok").RequireAuthorization();
        }, configure);

    /// <summary>For each claim format: a fresh token, a stale one, and the same format's "never verified".</summary>
    public static TheoryData<VerificationClaimsFormat, string, string> Formats()
    {
        var now = TestApp.Start;
        return new()
        {
            { VerificationClaimsFormat.Timestamps, Serialize(TestTokens.Timestamps(now, 30, 2)), Serialize(TestTokens.Timestamps(now, 30, 11)) },
            { VerificationClaimsFormat.ClerkFva, Serialize(TestTokens.Fva(30, 2)), Serialize(TestTokens.Fva(3, 10)) },
            { VerificationClaimsFormat.OpenIdConnect, Serialize(TestTokens.Oidc(now.AddMinutes(-3), "pwd", "otp")), Serialize(TestTokens.Oidc(now.AddMinutes(-10), "pwd", "otp")) },
            { VerificationClaimsFormat.SupabaseAmr, Serialize(TestTokens.Supabase(("password", now.AddMinutes(-30)), ("totp", now.AddMinutes(-9)))), Serialize(TestTokens.Supabase(("password", now.AddMinutes(-3)), ("totp", now.AddMinutes(-12)))) },
        };
    }

    private static string Serialize(Dictionary<string, object> claims) => JsonSerializer.Serialize(claims);

    private static Dictionary<string, object> Deserialize(string json)
        => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(p => p.Key, p => (object)p.Value);

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ClaimFormat_FreshToken_Passes(VerificationClaimsFormat format, string fresh, string stale)
    {
        _ = stale;
        await using var app = await MinimalAppAsync(o => o.Use(format));
        var response = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(Deserialize(fresh)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ClaimFormat_StaleToken_GetsTheExactAnswer(VerificationClaimsFormat format, string fresh, string stale)
    {
        _ = fresh;
        await using var app = await MinimalAppAsync(o => o.Use(format));
        var response = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(Deserialize(stale)));
        await Answer.AssertReverificationAsync(response, StrictBody, 600);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ClaimFormat_FreshTokenAgedPastTheWindow_GetsTheAnswer(VerificationClaimsFormat format, string fresh, string stale)
    {
        _ = stale;
        await using var app = await MinimalAppAsync(o => o.Use(format));
        var token = app.Token(Deserialize(fresh));
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/transfer", token)).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(8));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", token), StrictBody, 600);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ClaimFormat_Anonymous_GetsTheNormalChallenge(VerificationClaimsFormat format, string fresh, string stale)
    {
        _ = (fresh, stale);
        await using var app = await MinimalAppAsync(o => o.Use(format));
        var response = await app.SendAsync(HttpMethod.Post, "/transfer");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ClaimFormat_TamperedOrForeignTokenWithFreshClaims_Gets401(VerificationClaimsFormat format, string fresh, string stale)
    {
        _ = stale;
        await using var app = await MinimalAppAsync(o => o.Use(format));
        var claims = Deserialize(fresh);

        // Signed with another key.
        var foreign = TestTokens.Create(app.Time.GetUtcNow(), claims, TestTokens.OtherKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/transfer", foreign)).StatusCode);

        // A stale token whose payload was swapped for the fresh one, keeping the original signature.
        var staleToken = app.Token(Deserialize(stale));
        var freshToken = app.Token(claims);
        var parts = staleToken.Split('.');
        var tampered = string.Join('.', parts[0], freshToken.Split('.')[1], parts[2]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/transfer", tampered)).StatusCode);

        // Unsigned (alg: none).
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var unsigned = header + "." + freshToken.Split('.')[1] + ".";
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/transfer", unsigned)).StatusCode);
    }

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task Token_WithoutVerificationClaims_NeverPasses()
    {
        await using var app = await MinimalAppAsync();
        var token = app.Token([]);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/authorized", token)).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", token), StrictBody, 600);
    }

    [Fact]
    public async Task MalformedClaims_Deny_WithTheAnswer()
    {
        await using var app = await MinimalAppAsync();
        var token = app.Token(new() { ["f2_verified_at"] = "soon", ["f1_verified_at"] = app.Time.GetUtcNow().ToUnixTimeSeconds() });
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", token), StrictBody, 600);
    }

    [Fact]
    public async Task Group_RequireReverification_AppliesToEveryEndpoint_AndEndpointLevelsAddUp()
    {
        await using var app = await TestApp.StartAsync(web =>
        {
            var group = web.MapGroup("/billing").RequireReverification("moderate");
            group.MapGet("/invoices", () => "invoices");
            group.MapPost("/card", () => "card").RequireReverification("strict_mfa");
        });
        var twentyMinutes = app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 20, 20));
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/billing/invoices", twentyMinutes)).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/billing/card", twentyMinutes), Answer.Body("strict_mfa"), 600);

        var twoHours = app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 120, 120));
        await Answer.AssertReverificationAsync(await app.GetAsync("/billing/invoices", twoHours), Answer.Body("moderate"), 3600);

        // Both fail: the answer names the one that demands the most.
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/billing/card", twoHours), Answer.Body("strict_mfa"), 600);
    }

    [Fact]
    public async Task Controller_AttributeOnAction_Works()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(AccountController)));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/mvc/delete", app.Token(TestTokens.Timestamps(now, 5, 5)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/mvc/delete", app.Token(TestTokens.Timestamps(now, 11, 5))), Answer.Body("strict_mfa"), 600);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/mvc/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/open", app.Token([]))).StatusCode);
    }

    [Fact]
    public async Task Controller_AttributeOnClassAndAction_BothMustPass()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(SettingsController)));
        var now = app.Time.GetUtcNow();
        var thirtyMinutes = app.Token(TestTokens.Timestamps(now, 30, 30));
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/settings/view", thirtyMinutes)).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/mvc/settings/security", thirtyMinutes), StrictBody, 600);

        var twoDays = app.Token(TestTokens.Timestamps(now, 2880, 2880));
        await Answer.AssertReverificationAsync(await app.GetAsync("/mvc/settings/view", twoDays), Answer.Body("lax"), 86400);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/mvc/settings/security", twoDays), StrictBody, 600);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/mvc/settings/security", app.Token(TestTokens.Timestamps(now, 1, 1)))).StatusCode);
    }

    [Fact]
    public async Task AllowAnonymous_TurnsOffReverification()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(SettingsController)));
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/settings/public")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/settings/public", app.Token([]))).StatusCode);
    }

    [Fact]
    public async Task RazorPage_Attribute_Works()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapRazorPages(),
            services: s => s.AddRazorPages().AddApplicationPart(typeof(TestApp).Assembly));
        var now = app.Time.GetUtcNow();
        var ok = await app.GetAsync("/Sudo", app.Token(TestTokens.Timestamps(now, 5, 5)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("sudo page", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Answer.AssertReverificationAsync(await app.GetAsync("/Sudo", app.Token(TestTokens.Timestamps(now, 15, 15))), StrictBody, 600);
    }

    [Fact]
    public async Task Roles_OtherFailureKeepsItsNormalAnswer()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(AdminController)));
        var now = app.Time.GetUtcNow();
        var staleAdmin = TestTokens.Timestamps(now, 30, 30);
        staleAdmin["role"] = "admin";
        var freshAdmin = TestTokens.Timestamps(now, 1, 1);
        freshAdmin["role"] = "admin";

        // Not an admin (fresh or stale): the plain 403; reverifying would not help.
        await Answer.AssertPlainForbiddenAsync(await app.SendAsync(HttpMethod.Post, "/mvc/admin", app.Token(TestTokens.Timestamps(now, 30, 30))));
        await Answer.AssertPlainForbiddenAsync(await app.SendAsync(HttpMethod.Post, "/mvc/admin", app.Token(TestTokens.Timestamps(now, 1, 1))));

        // An admin who must reverify gets the reverification answer; a fresh admin passes.
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/mvc/admin", app.Token(staleAdmin)), StrictBody, 600);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/mvc/admin", app.Token(freshAdmin))).StatusCode);
    }

    [Fact]
    public async Task Policy_CombinesWithRequireReverification()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/p", () => "p").RequireAuthorization("paid").RequireReverification("strict"),
            services: s => s.AddAuthorizationBuilder().AddPolicy("paid", p => p.RequireClaim("plan", "paid")));
        var now = app.Time.GetUtcNow();
        var stalePaid = TestTokens.Timestamps(now, 30, 30);
        stalePaid["plan"] = "paid";
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/p", app.Token(stalePaid)), StrictBody, 600);
        await Answer.AssertPlainForbiddenAsync(await app.SendAsync(HttpMethod.Post, "/p", app.Token(TestTokens.Timestamps(now, 30, 30))));
    }

    [Fact]
    public async Task CustomLevels_NamedAndInline_UseTheObjectForm()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapPost("/export", () => "e").RequireReverification("export");
                web.MapPost("/inline", () => "i").RequireReverification(ReverificationFactors.FirstFactor, 2.5);
            },
            o => o.AddLevel("export", ReverificationFactors.MultiFactor, 5));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/export", app.Token(TestTokens.Timestamps(now, 4, 4)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/export", app.Token(TestTokens.Timestamps(now, 4, 6))), Answer.CustomBody("multi_factor", "5"), 300);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/inline", app.Token(TestTokens.Timestamps(now, 2, null)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/inline", app.Token(TestTokens.Timestamps(now, 3, 0))), Answer.CustomBody("first_factor", "2.5"), 150);
    }

    [Fact]
    public async Task InvalidOptions_FailAtStartUpWithWhatToChange()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApp.StartAsync(
            web => web.MapGet("/", () => "x"),
            o =>
            {
                o.ClockSkew = TimeSpan.FromHours(1);
                o.RejectionStatusCode = 200;
                o.UseTimestamps(t => t.FirstFactorClaimType = "");
            }));
        Assert.Contains("ClockSkew must be between 0 and 10 minutes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RejectionStatusCode", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FirstFactorClaimType", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imperative_MinimalApiAndMvc_AnswerLikeTheAttribute()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapControllers();
                web.MapGet("/export", (HttpContext http) => http.HasReverified("export") ? Results.Ok("exported") : ReverificationResults.Required("export"))
                    .RequireAuthorization();
            },
            o => o.AddLevel("export", ReverificationFactors.SecondFactor, 5),
            s => s.AddTestControllers(typeof(AccountController)));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/export", app.Token(TestTokens.Timestamps(now, 1, 1)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.GetAsync("/export", app.Token(TestTokens.Timestamps(now, 1, 6))), Answer.CustomBody("second_factor", "5"), 300);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/imperative", app.Token(TestTokens.Timestamps(now, 1, 1)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.GetAsync("/mvc/imperative", app.Token(TestTokens.Timestamps(now, 1, 60))), StrictBody, 600);
    }

    [Fact]
    public async Task MvcAuthorizeFilter_GlobalPolicyWithReverification_GivesTheSameAnswer()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapControllers(),
            services: s => s.AddTestControllers(typeof(AccountController)).AddMvcOptions(o =>
                o.Filters.Add(new Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter(
                    new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("moderate").Build()))));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/mvc/open", app.Token(TestTokens.Timestamps(now, 30, 30)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.GetAsync("/mvc/open", app.Token(TestTokens.Timestamps(now, 90, 90))), Answer.Body("moderate"), 3600);
    }

    [Fact]
    public async Task AddReverification_CalledTwice_IsHarmlessAndBothConfigurationsApply()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/a", () => "a").RequireReverification("a"),
            o => o.AddLevel("b", ReverificationFactors.FirstFactor, 1),
            s => s.AddReverification(o => o.AddLevel("a", ReverificationFactors.FirstFactor, 1)));
        var handlers = app.App.Services.GetServices<IAuthorizationHandler>().Count(h => h.GetType().Name == "ReverificationAuthorizationHandler");
        Assert.Equal(1, handlers);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/a", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 0.5, null)))).StatusCode);
    }
}
