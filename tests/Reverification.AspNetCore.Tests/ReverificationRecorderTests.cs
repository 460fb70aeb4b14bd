using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

public class ReverificationRecorderTests
{
    private static readonly DateTimeOffset Now = TestApp.Start;

    private static ReverificationRecorder Recorder(FakeTimeProvider time, Action<ReverificationOptions>? configure = null)
    {
        var options = new ReverificationOptions();
        configure?.Invoke(options);
        return new ReverificationRecorder(Options.Create(options), time);
    }

    [Fact]
    public void CreateClaims_MultiFactor_StampsBothFactorsNow()
    {
        var claims = Recorder(new FakeTimeProvider(Now)).CreateClaims(ReverificationFactors.MultiFactor);
        Assert.Equal(2, claims.Count);
        Assert.All(claims, c => Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), c.Value));
        Assert.Equal(["f1_verified_at", "f2_verified_at"], claims.Select(c => c.Type));
    }

    [Fact]
    public void CreateClaims_OneFactor_KeepsTheOtherFromTheCurrentPrincipal()
    {
        var earlier = Now.AddMinutes(-30).ToUnixTimeSeconds();
        var current = TestTokens.Principal(TestTokens.Claim("f1_verified_at", earlier), TestTokens.Claim("f2_verified_at", earlier));
        var claims = Recorder(new FakeTimeProvider(Now)).CreateClaims(ReverificationFactors.SecondFactor, current);
        Assert.Equal(earlier.ToString(System.Globalization.CultureInfo.InvariantCulture), claims.Single(c => c.Type == "f1_verified_at").Value);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), claims.Single(c => c.Type == "f2_verified_at").Value);
    }

    [Fact]
    public void CreateClaims_MalformedCurrentClaim_IsKeptAsItWas()
    {
        var current = TestTokens.Principal(new Claim("f1_verified_at", "garbage"));
        var claims = Recorder(new FakeTimeProvider(Now)).CreateClaims(ReverificationFactors.SecondFactor, current);
        Assert.Equal(["f1_verified_at", "f2_verified_at"], claims.Select(static c => c.Type).Order());
        Assert.Equal("garbage", claims.Single(static c => c.Type == "f1_verified_at").Value);
    }

    /// <summary>
    /// The contract's recording rule: a second factor that is present is never dropped. Dropped, it would read as "no
    /// second factor", and a password alone would pass strict and strict_mfa.
    /// </summary>
    [Theory]
    [InlineData("duplicated")]
    [InlineData("ahead of the clock")]
    public void CreateClaimsAndApply_SecondFactorMalformedOrAhead_KeptSoThePasswordAloneNeverPasses(string kind)
    {
        var time = new FakeTimeProvider(Now);
        var secondFactor = kind == "duplicated"
            ? new[] { TestTokens.Claim("f2_verified_at", Now.AddHours(-2).ToUnixTimeSeconds()), TestTokens.Claim("f2_verified_at", Now.AddHours(-3).ToUnixTimeSeconds()) }
            : [TestTokens.Claim("f2_verified_at", Now.AddHours(1).ToUnixTimeSeconds())];
        var current = TestTokens.Principal([TestTokens.Claim("f1_verified_at", Now.AddHours(-2).ToUnixTimeSeconds()), .. secondFactor]);
        var recorder = Recorder(time);
        var service = new Internal.ReverificationService(Options.Create(new ReverificationOptions()), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Internal.ReverificationService>.Instance);

        var claims = recorder.CreateClaims(ReverificationFactors.FirstFactor, current);
        Assert.Equal(secondFactor.Select(static c => c.Value), claims.Where(static c => c.Type == "f2_verified_at").Select(static c => c.Value));
        var token = TestTokens.Principal([.. claims]);
        Assert.NotEqual(ReverificationOutcome.Passed, service.Check(token, ReverificationLevel.Strict));
        Assert.NotEqual(ReverificationOutcome.Passed, service.Check(token, ReverificationLevel.StrictMfa));

        var applied = recorder.Apply(current, ReverificationFactors.FirstFactor);
        Assert.Equal(secondFactor.Length, applied.FindAll("f2_verified_at").Count());
        Assert.NotEqual(ReverificationOutcome.Passed, service.Check(applied, ReverificationLevel.Strict));
        Assert.NotEqual(ReverificationOutcome.Passed, service.Check(applied, ReverificationLevel.StrictMfa));

        // Verifying the second factor itself replaces it: the user can always recover.
        var fixedUp = recorder.Apply(current, ReverificationFactors.SecondFactor);
        Assert.Equal(ReverificationOutcome.Passed, service.Check(fixedUp, ReverificationLevel.Strict));
    }

    [Fact]
    public void CreateClaims_OtherFormatConfigured_ThrowsWithWhatToChange()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Recorder(new FakeTimeProvider(Now), o => o.Use(VerificationClaimsFormat.ClerkFva)).CreateClaims(ReverificationFactors.FirstFactor));
        Assert.Contains("ClerkFva format", ex.Message, StringComparison.Ordinal);
        Assert.Contains("options.UseTimestamps()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReplacesOldClaimsAndPasses()
    {
        var time = new FakeTimeProvider(Now);
        var old = TestTokens.Principal(TestTokens.Claim("f1_verified_at", Now.AddDays(-1).ToUnixTimeSeconds()), new Claim("name", "ada"));
        var updated = Recorder(time).Apply(old, ReverificationFactors.FirstFactor);
        Assert.Single(updated.FindAll("f1_verified_at"));
        Assert.Equal("ada", updated.FindFirst("name")?.Value);
        Assert.Single(old.FindAll("f1_verified_at"));
        var service = new Internal.ReverificationService(Options.Create(new ReverificationOptions()), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Internal.ReverificationService>.Instance);
        Assert.Equal(ReverificationOutcome.ReverificationRequired, service.Check(old, ReverificationLevel.Strict));
        Assert.Equal(ReverificationOutcome.Passed, service.Check(updated, ReverificationLevel.Strict));
    }

    [Fact]
    public void Apply_Unauthenticated_Throws()
        => Assert.Throws<InvalidOperationException>(() => Recorder(new FakeTimeProvider(Now)).Apply(new ClaimsPrincipal(new ClaimsIdentity()), ReverificationFactors.FirstFactor));

    [Fact]
    public async Task JwtIssuer_TokenWithRecordedClaims_PassesTheEndpoint()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "done").RequireReverification("strict"));
        var recorder = app.App.Services.GetRequiredService<ReverificationRecorder>();
        var claims = recorder.CreateClaims(ReverificationFactors.SecondFactor).ToDictionary(c => c.Type, c => (object)long.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(claims))).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(claims))).StatusCode);
    }

    public enum CookieSetup
    {
        Plain,
        SessionStore,
        PolicySchemeForwardsToCookie,
    }

    [Theory]
    [InlineData(CookieSetup.Plain, 0)]
    [InlineData(CookieSetup.SessionStore, 0)]
    [InlineData(CookieSetup.PolicySchemeForwardsToCookie, 0)]
    [InlineData(CookieSetup.Plain, 8)]
    [InlineData(CookieSetup.SessionStore, 8)]
    public async Task CookieApp_RecordReverification_RefreshesTheTicket(CookieSetup setup, int daysSinceSignIn)
    {
        var time = new FakeTimeProvider(Now);
        var store = new InMemoryTicketStore();
        await using var app = await CookieAppAsync(time, setup, store);
        var client = app.GetTestClient();

        var signIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), null);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, "/sudo", cookie)).StatusCode);

        // Eight days in, sliding expiration (14 days) renews the ticket on this request: the handler must write only
        // the refreshed ticket, never renew the old one after it (a second Set-Cookie, or the session store's copy).
        time.Advance(TimeSpan.FromDays(daysSinceSignIn));
        var reverify = await Send(client, "/reverify", cookie);
        Assert.Equal(HttpStatusCode.OK, reverify.StatusCode);
        var refreshed = reverify.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var sudo = await Send(client, "/sudo", refreshed);
        Assert.Equal(HttpStatusCode.OK, sudo.StatusCode);

        // The claims transformation's claim is added per request, never stored in the refreshed cookie.
        Assert.Equal("from-transformation", await sudo.Content.ReadAsStringAsync());
        if (setup == CookieSetup.SessionStore)
        {
            Assert.Equal(1, store.Count);
            Assert.Single(store.Tickets.Single().Principal.Identities);
        }

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(client, "/sudo", refreshed)).StatusCode);
    }

    [Fact]
    public async Task RecordReverification_SchemeThatIsNotACookie_SaysWhatToDo()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/reverify", (HttpContext http) => http.RecordReverificationAsync(ReverificationFactors.SecondFactor)).RequireAuthorization());
        // The developer exception page shows the exception's message.
        var response = await app.SendAsync(HttpMethod.Post, "/reverify", app.Token([]));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var message = System.Net.WebUtility.HtmlDecode(page);
        Assert.Contains("The authentication scheme 'Bearer' is handled by JwtBearerHandler, not by the cookie handler", message, StringComparison.Ordinal);
        Assert.Contains("ReverificationRecorder.CreateClaims", message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> CookieAppAsync(FakeTimeProvider time, CookieSetup setup, ITicketStore store)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        var authentication = builder.Services.AddAuthentication(setup == CookieSetup.PolicySchemeForwardsToCookie ? "smart" : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.TimeProvider = time;
                if (setup == CookieSetup.SessionStore)
                {
                    o.SessionStore = store;
                }
            });
        if (setup == CookieSetup.PolicySchemeForwardsToCookie)
        {
            authentication.AddPolicyScheme("smart", "cookie or bearer", o => o.ForwardDefaultSelector = _ => CookieAuthenticationDefaults.AuthenticationScheme);
        }

        builder.Services.AddReverification();
        builder.Services.AddTransient<IClaimsTransformation, AddsRoleTransformation>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/signin", (HttpContext http) => http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u")], "cookie"))));
        app.MapPost("/reverify", (HttpContext http) => http.RecordReverificationAsync(ReverificationFactors.MultiFactor)).RequireAuthorization();
        app.MapPost("/sudo", (HttpContext http) => string.Join(",", http.User.FindAll("role").Select(static c => c.Value))).RequireReverification("strict_mfa");
        await app.StartAsync();
        return app;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    /// <summary>A cookie session store in memory (as apps back one with a cache or a database).</summary>
    private sealed class InMemoryTicketStore : ITicketStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AuthenticationTicket> _tickets = new();

        public int Count => _tickets.Count;

        public IEnumerable<AuthenticationTicket> Tickets => _tickets.Values;

        public Task<string> StoreAsync(AuthenticationTicket ticket)
        {
            var key = Guid.NewGuid().ToString("N");
            _tickets[key] = Copy(ticket);
            return Task.FromResult(key);
        }

        public Task RenewAsync(string key, AuthenticationTicket ticket)
        {
            _tickets[key] = Copy(ticket);
            return Task.CompletedTask;
        }

        // A copy each way, as a store that serializes (a distributed cache, a database) gives.
        public Task<AuthenticationTicket?> RetrieveAsync(string key)
            => Task.FromResult(_tickets.TryGetValue(key, out var ticket) ? Copy(ticket) : null);

        private static AuthenticationTicket Copy(AuthenticationTicket ticket)
            => TicketSerializer.Default.Deserialize(TicketSerializer.Default.Serialize(ticket))!;

        public Task RemoveAsync(string key)
        {
            _tickets.TryRemove(key, out _);
            return Task.CompletedTask;
        }
    }

    private sealed class AddsRoleTransformation : IClaimsTransformation
    {
        // As ASP.NET Core's documentation shows it: the principal is changed in place.
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            principal.AddIdentity(new ClaimsIdentity([new Claim("role", "from-transformation")]));
            return Task.FromResult(principal);
        }
    }
}
