using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// Each rule of the reverification answer: status, content type, body per level, the RFC 9470 challenge, the
/// <see cref="ReverificationOptions.OnRejected"/> hook, and the redirect of browser navigations to the app's reverify
/// page, which never leaves the site. Unit tests on <see cref="DefaultHttpContext"/>, then the same rules through a
/// real app on TestServer.
/// </summary>
public sealed class ReverificationResponseWriterTests
{
    private static readonly string StrictBody = Answer.Body("strict");

    // The error answer.

    [Theory]
    [InlineData("strict_mfa", 600)]
    [InlineData("strict", 600)]
    [InlineData("moderate", 3600)]
    [InlineData("lax", 86400)]
    public async Task WriteAsync_Preset_Writes403JsonBodyWithTheNameAndTheChallenge(string preset, long maxAgeSeconds)
    {
        var (writer, _) = Writer();
        var context = Context();
        ReverificationLevel.TryGetPreset(preset, out var level);

        await writer.WriteAsync(context, level!, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(Answer.Body(preset), Body(context));
        Assert.Equal(Encoding.UTF8.GetByteCount(Answer.Body(preset)), context.Response.ContentLength);
        Assert.Equal(Answer.Challenge(maxAgeSeconds), Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task WriteAsync_InlineLevel_BodyDescribesFactorsAndMinutes()
    {
        var (writer, _) = Writer();
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Create(ReverificationFactors.FirstFactor, 2.5), ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(Answer.CustomBody("first_factor", "2.5"), Body(context));
        Assert.Equal(Answer.Challenge(150), Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task WriteAsync_AppNamedLevel_BodyDescribesFactorsAndMinutesNotTheName()
    {
        // Clerk's clients know the four presets only: an app's level travels as factors and minutes.
        var (writer, _) = Writer();
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Create("export", ReverificationFactors.MultiFactor, 5), ReverificationOutcome.ReverificationRequired);

        Assert.Equal(Answer.CustomBody("multi_factor", "5"), Body(context));
        Assert.Equal(Answer.Challenge(300), Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Theory]
    [InlineData(2.5, 150)]
    [InlineData(1 / 3.0, 20)]
    [InlineData(0.001, 0)]
    [InlineData(1439.9999, 86399)]
    [InlineData(527040, 31622400)]
    public void CreateChallenge_MaxAge_IsWholeSecondsRoundedDown(double maxAgeMinutes, long maxAgeSeconds)
    {
        var (writer, _) = Writer();

        Assert.Equal(Answer.Challenge(maxAgeSeconds), writer.CreateChallenge(ReverificationLevel.Create(ReverificationFactors.SecondFactor, maxAgeMinutes)));
    }

    [Fact]
    public async Task WriteAsync_RejectionStatusCodeConfigured_UsesIt()
    {
        var (writer, _) = Writer(o => o.RejectionStatusCode = StatusCodes.Status401Unauthorized);
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal(StrictBody, Body(context));
        Assert.Equal(Answer.Challenge(600), Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task WriteAsync_ChallengeHeaderTurnedOff_SendsNoWwwAuthenticate()
    {
        var (writer, _) = Writer(o => o.IncludeChallengeHeader = false);
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(StrictBody, Body(context));
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task WriteAsync_ChallengeSchemeConfigured_NamesItInTheChallenge()
    {
        var (writer, _) = Writer(o => o.ChallengeScheme = "DPoP");
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Moderate, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(
            "DPoP error=\"insufficient_user_authentication\", error_description=\"A more recent authentication is required.\", max_age=3600",
            Assert.Single(context.Response.Headers.WWWAuthenticate));
    }

    [Fact]
    public async Task WriteAsync_ChallengeFromAnotherScheme_IsKeptBesideTheReverificationChallenge()
    {
        var (writer, _) = Writer();
        var context = Context();
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"api\"";

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(new[] { "Basic realm=\"api\"", Answer.Challenge(600) }, context.Response.Headers.WWWAuthenticate.ToArray<string?>());
    }

    [Fact]
    public async Task WriteAsync_OnRejected_GetsLevelOutcomeAndToken_WithStatusAndChallengeAlreadySet_AndWritesTheBodyItself()
    {
        ReverificationRejectedContext? seen = null;
        var statusSeen = 0;
        var challengeSeen = string.Empty;
        CancellationToken tokenSeen = default;
        var (writer, _) = Writer(o => o.OnRejected = async (rejected, ct) =>
        {
            seen = rejected;
            statusSeen = rejected.HttpContext.Response.StatusCode;
            challengeSeen = rejected.HttpContext.Response.Headers.WWWAuthenticate.ToString();
            tokenSeen = ct;
            rejected.HttpContext.Response.ContentType = "text/plain";
            await rejected.HttpContext.Response.WriteAsync("reverify, please", ct);
        });
        using var aborted = new CancellationTokenSource();
        var context = Context();
        context.RequestAborted = aborted.Token;
        var level = ReverificationLevel.Create(ReverificationFactors.SecondFactor, 5);

        await writer.WriteAsync(context, level, ReverificationOutcome.MalformedClaims);

        Assert.NotNull(seen);
        Assert.Same(context, seen.HttpContext);
        Assert.Same(level, seen.Level);
        Assert.Equal(ReverificationOutcome.MalformedClaims, seen.Outcome);
        Assert.Equal(StatusCodes.Status403Forbidden, statusSeen);
        Assert.Equal(Answer.Challenge(300), challengeSeen);
        Assert.Equal(aborted.Token, tokenSeen);

        // The hook's body only: the default body is not written after it.
        Assert.Equal("text/plain", context.Response.ContentType);
        Assert.Equal("reverify, please", Body(context));
    }

    [Fact]
    public async Task WriteAsync_OnRejected_MayChangeTheStatusAndHeaders_AndWriteTheDefaultBody()
    {
        var (writer, _) = Writer(o => o.OnRejected = async (rejected, ct) =>
        {
            rejected.HttpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
            rejected.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            await rejected.WriteDefaultBodyAsync(ct);
        });
        var context = Context();

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(StrictBody, Body(context));
    }

    [Fact]
    public async Task WriteAsync_ResponseAlreadyStarted_WritesNothingAndLogs()
    {
        var hookCalled = false;
        var (writer, logger) = Writer(o => o.OnRejected = (_, _) =>
        {
            hookCalled = true;
            return ValueTask.CompletedTask;
        });
        var context = Context();
        context.Features.Set<IHttpResponseFeature>(new StartedResponseFeature());

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.False(hookCalled);
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(6, record.Id.Id);
        Assert.Equal("ResponseAlreadyStarted", record.Id.Name);
        Assert.Equal(LogLevel.Warning, record.Level);
    }

    // Which requests are browser page navigations.

    [Theory]
    [InlineData("GET", "navigate", null, null, true)]
    [InlineData("HEAD", "navigate", null, null, true)]
    [InlineData("get", "NAVIGATE", null, null, true)]
    [InlineData("POST", "navigate", "text/html", null, false)]
    [InlineData("PUT", "navigate", "text/html", null, false)]
    [InlineData("GET", "cors", "text/html", null, false)]
    [InlineData("GET", "no-cors", "text/html", null, false)]
    [InlineData("GET", "same-origin", "text/html", null, false)]
    [InlineData("GET", "cors", null, null, false)]
    [InlineData("GET", null, "text/html,application/xhtml+xml", null, true)]
    [InlineData("GET", null, "TEXT/HTML", null, true)]
    [InlineData("GET", null, "text/html", "XMLHttpRequest", false)]
    [InlineData("GET", null, "application/json", null, false)]
    [InlineData("GET", null, "*/*", null, false)]
    [InlineData("GET", null, null, null, false)]
    [InlineData("POST", null, "text/html", null, false)]
    public void IsBrowserNavigation_MethodFetchMetadataAcceptAndXRequestedWith_Decide(string method, string? fetchMode, string? accept, string? requestedWith, bool expected)
    {
        var context = Context(method);
        if (fetchMode is not null)
        {
            context.Request.Headers["Sec-Fetch-Mode"] = fetchMode;
        }

        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        if (requestedWith is not null)
        {
            context.Request.Headers.XRequestedWith = requestedWith;
        }

        Assert.Equal(expected, ReverificationResponseWriter.IsBrowserNavigation(context.Request));
    }

    // The redirect to the app's reverify page.

    [Fact]
    public async Task WriteAsync_NavigationWithoutReverifyPath_GetsTheErrorAnswer()
    {
        var (writer, _) = Writer();
        var context = Navigation("/settings");

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(StrictBody, Body(context));
    }

    [Fact]
    public async Task WriteAsync_NavigationWithReverifyPath_Redirects302WithReturnUrlAndLevel_NoChallengeNoBodyNoHook()
    {
        var hookCalled = false;
        var (writer, _) = Writer(o =>
        {
            o.ReverifyPath = "/reverify";
            o.OnRejected = (_, _) =>
            {
                hookCalled = true;
                return ValueTask.CompletedTask;
            };
        });
        var context = Navigation("/settings/security", "?tab=keys");

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        Assert.Equal("/reverify?returnUrl=%2Fsettings%2Fsecurity%3Ftab%3Dkeys&level=strict", context.Response.Headers.Location.ToString());
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal(string.Empty, Body(context));
        Assert.False(hookCalled);
    }

    [Fact]
    public async Task WriteAsync_RedirectForInlineLevel_CarriesFactorsAndMinutes()
    {
        var (writer, _) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation("/export");

        await writer.WriteAsync(context, ReverificationLevel.Create(ReverificationFactors.MultiFactor, 2.5), ReverificationOutcome.ReverificationRequired);

        Assert.Equal("/reverify?returnUrl=%2Fexport&level=multi_factor&afterMinutes=2.5", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task WriteAsync_RedirectWithReturnUrlParameterConfigured_UsesItsName()
    {
        var (writer, _) = Writer(o =>
        {
            o.ReverifyPath = "/account/confirm";
            o.ReturnUrlParameter = "next";
        });
        var context = Navigation("/settings");

        await writer.WriteAsync(context, ReverificationLevel.Lax, ReverificationOutcome.ReverificationRequired);

        Assert.Equal("/account/confirm?next=%2Fsettings&level=lax", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task WriteAsync_RedirectUnderAPathBase_PrefixesTheReverifyPathAndTheReturnUrl()
    {
        var (writer, _) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation("/settings", "?a=1&b=%2F%2Fx");
        context.Request.PathBase = "/app";

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal("/app/reverify?returnUrl=%2Fapp%2Fsettings%3Fa%3D1%26b%3D%252F%252Fx&level=strict", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task WriteAsync_ReturnUrl_IsTheEscapedPath()
    {
        // The return URL is a URL: a later redirect to it must be ASCII, and an escaped backslash stays a path character.
        var (writer, _) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation("/caf\u00e9/a b");

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal("/reverify?returnUrl=%2Fcaf%25C3%25A9%2Fa%2520b&level=strict", context.Response.Headers.Location.ToString());
        Assert.Equal("/caf%C3%A9/a%20b", ReturnUrl(context));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/app")]
    [InlineData("///evil.example")]
    public async Task WriteAsync_PathBaseThatLeavesTheSite_SendsTheErrorAnswerNotARedirect_AndLogs(string pathBase)
    {
        var (writer, logger) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation("/settings");
        context.Request.PathBase = pathBase;

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Location"));
        Assert.Equal(StrictBody, Body(context));
        Assert.Equal(Answer.Challenge(600), Assert.Single(context.Response.Headers.WWWAuthenticate));
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(7, record.Id.Id);
        Assert.Equal("ReverifyRedirectNotLocal", record.Id.Name);
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains($"location '{pathBase}/reverify'", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ReverifyPathThatLeavesTheSite_SendsTheErrorAnswer()
    {
        var (writer, logger) = Writer(o => o.ReverifyPath = "//login.example/reverify");
        var context = Navigation("/settings");

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Location"));
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(7, record.Id.Id);
        Assert.Contains("location '//login.example/reverify'", record.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "//evil.example/x")]
    [InlineData("", "//evil.example")]
    [InlineData("", "///evil.example")]
    public async Task WriteAsync_ReturnUrlThatIsNotLocal_IsLeftOut(string pathBase, string path)
    {
        var (writer, _) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation(path, "?q=1");
        context.Request.PathBase = pathBase;

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        var location = context.Response.Headers.Location.ToString();
        Assert.Equal(pathBase + "/reverify?level=strict", location);
        Assert.Null(ReturnUrl(context));
    }

    [Fact]
    public async Task WriteAsync_BackslashInPath_IsEscapedInTheReturnUrl()
    {
        // Browsers read "/\host" as "//host"; escaped as %5C it is a path character.
        var (writer, _) = Writer(o => o.ReverifyPath = "/reverify");
        var context = Navigation("/\\evil.example/x");

        await writer.WriteAsync(context, ReverificationLevel.Strict, ReverificationOutcome.ReverificationRequired);

        Assert.Equal("/%5Cevil.example/x", ReturnUrl(context));
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/reverify", true)]
    [InlineData("/reverify?returnUrl=%2F%2Fevil.example", true)]
    [InlineData("/a//b", true)]
    [InlineData("/%2F%2Fevil.example", true)]
    [InlineData("/%5Cevil.example", true)]
    [InlineData("", false)]
    [InlineData("//evil.example", false)]
    [InlineData("//", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("\\\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("evil.example", false)]
    [InlineData("~/reverify", false)]
    [InlineData("?returnUrl=/", false)]
    [InlineData("/a\r\nLocation: //evil.example", false)]
    [InlineData("/\t/evil.example", false)]
    public void IsLocalPath_OnlyASingleSlashPathWithoutControlCharacters(string url, bool expected)
        => Assert.Equal(expected, ReverificationResponseWriter.IsLocalPath(url));

    // The same rules through a real app on TestServer, the authorization middleware calling the writer.

    [Fact]
    public async Task App_OptionsStatusCodeHeaderAndHook_ChangeTheAnswer()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict"), o =>
        {
            o.RejectionStatusCode = StatusCodes.Status401Unauthorized;
            o.IncludeChallengeHeader = false;
            o.OnRejected = async (context, ct) =>
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Title = "Reverification required", Extensions = { ["level"] = context.Level.Name } },
                });
            };
        }, s => s.AddProblemDetails());
        var response = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token([]));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("strict", body.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task App_HookWritesTheDefaultBodyAfterAddingHeaders_GetsTheContractAnswer()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict"), o => o.OnRejected = async (context, ct) =>
        {
            context.HttpContext.Response.Headers["X-Reverify"] = context.Level.Name;
            await context.WriteDefaultBodyAsync(ct);
        });
        var response = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token([]));
        await Answer.AssertReverificationAsync(response, StrictBody, 600);
        Assert.Equal("strict", response.Headers.GetValues("X-Reverify").Single());
    }

    [Fact]
    public async Task App_ChallengeSchemeConfigured_NamesTheSchemeInTheHeader()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict"), o => o.ChallengeScheme = "DPoP");
        var response = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            "DPoP error=\"insufficient_user_authentication\", error_description=\"A more recent authentication is required.\", max_age=600",
            Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task App_BrowserNavigation_IsNotRedirectedByDefault()
    {
        await using var app = await TestApp.StartAsync(web => web.MapGet("/settings/security", () => "page").RequireReverification("strict"));
        var navigation = await app.SendAsync(HttpMethod.Get, "/settings/security", app.Token([]), configure: r =>
        {
            r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
            r.Headers.Add("Sec-Fetch-Mode", "navigate");
        });
        await Answer.AssertReverificationAsync(navigation, StrictBody, 600);
    }

    [Fact]
    public async Task App_BrowserNavigation_RedirectsToReverifyPageWhenEnabled_ApiCallsKeepJson()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapGet("/settings/security", () => "page").RequireReverification("strict"),
            o => o.ReverifyPath = "/reverify");
        var token = app.Token([]);
        var navigation = await app.SendAsync(HttpMethod.Get, "/settings/security?tab=keys", token, configure: r =>
        {
            r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
            r.Headers.Add("Sec-Fetch-Mode", "navigate");
        });
        Assert.Equal(HttpStatusCode.Redirect, navigation.StatusCode);
        Assert.Equal("/reverify?returnUrl=%2Fsettings%2Fsecurity%3Ftab%3Dkeys&level=strict", navigation.Headers.Location?.OriginalString);

        var fetch = await app.SendAsync(HttpMethod.Get, "/settings/security", token, configure: r =>
        {
            r.Headers.Accept.ParseAdd("text/html");
            r.Headers.Add("Sec-Fetch-Mode", "cors");
        });
        await Answer.AssertReverificationAsync(fetch, StrictBody, 600);
        await Answer.AssertReverificationAsync(await app.GetAsync("/settings/security", token), StrictBody, 600);
    }

    [Fact]
    public async Task App_BrowserNavigationWithoutFetchMetadata_UsesAcceptAndXRequestedWith()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapMethods("/settings/security", ["GET", "HEAD", "POST"], () => "page").RequireReverification("strict"),
            o => o.ReverifyPath = "/reverify");
        var token = app.Token([]);

        // An older browser: no Sec-Fetch-Mode, Accept names HTML.
        var page = await app.SendAsync(HttpMethod.Get, "/settings/security", token, configure: r => r.Headers.Accept.ParseAdd("text/html"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/reverify?returnUrl=%2Fsettings%2Fsecurity&level=strict", page.Headers.Location?.OriginalString);

        // The same from script (X-Requested-With): the JSON answer.
        var xhr = await app.SendAsync(HttpMethod.Get, "/settings/security", token, configure: r =>
        {
            r.Headers.Accept.ParseAdd("text/html");
            r.Headers.Add("X-Requested-With", "XMLHttpRequest");
        });
        await Answer.AssertReverificationAsync(xhr, StrictBody, 600);

        // HEAD navigates too; a form POST keeps the JSON answer (a redirect would drop its body).
        var head = await app.SendAsync(HttpMethod.Head, "/settings/security", token, configure: r => r.Headers.Add("Sec-Fetch-Mode", "navigate"));
        Assert.Equal(HttpStatusCode.Redirect, head.StatusCode);
        var post = await app.SendAsync(HttpMethod.Post, "/settings/security", token, configure: r => r.Headers.Add("Sec-Fetch-Mode", "navigate"));
        await Answer.AssertReverificationAsync(post, StrictBody, 600);
    }

    [Fact]
    public async Task App_BrowserNavigation_InlineLevelAndPathBaseAreInTheRedirect()
    {
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.UsePathBase("/app");
                web.UseRouting();
                web.UseAuthentication();
                web.UseAuthorization();
                web.MapGet("/export", () => "page").RequireReverification(ReverificationFactors.FirstFactor, 2.5);
            },
            o => o.ReverifyPath = "/account/reverify");
        var response = await app.SendAsync(HttpMethod.Get, "/app/export?format=csv", app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 3, null)), configure: r => r.Headers.Add("Sec-Fetch-Mode", "navigate"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/account/reverify?returnUrl=%2Fapp%2Fexport%3Fformat%3Dcsv&level=first_factor&afterMinutes=2.5", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/")]
    [InlineData("//evil.example/app")]
    public async Task App_ForwardedPrefixThatLeavesTheSite_GetsTheErrorAnswerNotARedirect(string prefix)
    {
        await using var app = await ForwardedHeadersAppAsync();
        var response = await app.SendAsync(HttpMethod.Get, "/settings?tab=keys", app.Token([]), configure: r =>
        {
            r.Headers.Add("Sec-Fetch-Mode", "navigate");
            r.Headers.Add("X-Forwarded-Prefix", prefix);
        });

        Assert.Null(response.Headers.Location);
        await Answer.AssertReverificationAsync(response, StrictBody, 600);
    }

    [Theory]
    [InlineData("/proxy", "/proxy/reverify?returnUrl=%2Fproxy%2Fsettings%3Ftab%3Dkeys&level=strict")]
    [InlineData("/proxy/", "/proxy/reverify?returnUrl=%2Fproxy%2Fsettings%3Ftab%3Dkeys&level=strict")]
    [InlineData("/\\evil.example", "/%5Cevil.example/reverify?returnUrl=%2F%255Cevil.example%2Fsettings%3Ftab%3Dkeys&level=strict")]
    public async Task App_ForwardedPrefixOnTheSite_IsInTheRedirect(string prefix, string location)
    {
        await using var app = await ForwardedHeadersAppAsync();
        var response = await app.SendAsync(HttpMethod.Get, "/settings?tab=keys", app.Token([]), configure: r =>
        {
            r.Headers.Add("Sec-Fetch-Mode", "navigate");
            r.Headers.Add("X-Forwarded-Prefix", prefix);
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task App_RequestPathThatLooksLikeAnotherHost_IsNotTheReturnUrl()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapGet("/{**rest}", () => "page").RequireReverification("strict"),
            o => o.ReverifyPath = "/reverify");
        var response = await app.SendAsync(HttpMethod.Get, "http://localhost//evil.example/x", app.Token([]), configure: r => r.Headers.Add("Sec-Fetch-Mode", "navigate"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/reverify?level=strict", response.Headers.Location?.OriginalString);
    }

    private static Task<TestApp> ForwardedHeadersAppAsync()
        => TestApp.StartAsync(
            web =>
            {
                web.UseForwardedHeaders();
                web.UseRouting();
                web.UseAuthentication();
                web.UseAuthorization();
                web.MapGet("/settings", () => "page").RequireReverification("strict");
            },
            o => o.ReverifyPath = "/reverify",
            s => s.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedPrefix;

                // TestServer has no remote address; every proxy is trusted, as a misconfigured app would.
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }));

    private static (ReverificationResponseWriter Writer, FakeLogger<ReverificationResponseWriter> Logger) Writer(Action<ReverificationOptions>? configure = null)
    {
        var options = new ReverificationOptions();
        configure?.Invoke(options);
        var logger = new FakeLogger<ReverificationResponseWriter>();
        return (new ReverificationResponseWriter(Options.Create(options), logger), logger);
    }

    private static DefaultHttpContext Context(string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/settings";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static DefaultHttpContext Navigation(string path, string query = "")
    {
        var context = Context();
        context.Request.Headers["Sec-Fetch-Mode"] = "navigate";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    /// <summary>The return URL as the reverify page reads it from the redirect's query.</summary>
    private static string? ReturnUrl(HttpContext context)
    {
        var location = context.Response.Headers.Location.ToString();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location[location.IndexOf('?', StringComparison.Ordinal)..]);
        return query.TryGetValue("returnUrl", out var value) ? value.ToString() : null;
    }

    private sealed class StartedResponseFeature : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
