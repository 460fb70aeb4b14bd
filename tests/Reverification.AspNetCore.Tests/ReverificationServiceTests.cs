using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>Which identity's times count: one subject only (the contract's "Where the verification times come from").</summary>
public class ReverificationServiceTests
{
    private static readonly DateTimeOffset Now = TestApp.Start;

    private static ReverificationService Service()
        => new(Options.Create(new ReverificationOptions()), new FakeTimeProvider(Now), NullLogger<ReverificationService>.Instance);

    private static ClaimsIdentity Identity(string? subject, double? f1MinutesAgo, double? f2MinutesAgo, string authenticationType = "Bearer")
    {
        var claims = new List<Claim>();
        if (subject is not null)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, subject));
        }

        if (f1MinutesAgo is { } f1)
        {
            claims.Add(TestTokens.Claim("f1_verified_at", Now.AddMinutes(-f1).ToUnixTimeSeconds()));
        }

        if (f2MinutesAgo is { } f2)
        {
            claims.Add(TestTokens.Claim("f2_verified_at", Now.AddMinutes(-f2).ToUnixTimeSeconds()));
        }

        return new ClaimsIdentity(claims, authenticationType);
    }

    [Fact]
    public void Check_TwoSubjectsCombineAStalePasswordAndAFreshSecondFactor_DeniesAsMalformed()
    {
        // The victim's stolen token (password two hours ago, no second factor) beside the attacker's own token
        // (only a fresh second factor): combined they would read [120, 1] and pass strict.
        var victim = Identity("victim", 120, null);
        var attacker = Identity("attacker", null, 1);
        Assert.Equal(ReverificationOutcome.MalformedClaims, Service().Check(new ClaimsPrincipal([victim, attacker]), ReverificationLevel.Strict));
        Assert.Equal(ReverificationOutcome.MalformedClaims, Service().Check(new ClaimsPrincipal([attacker, victim]), ReverificationLevel.Strict));
    }

    [Fact]
    public void Check_TwoIdentitiesWithoutSubjects_DeniesAsMalformed()
        => Assert.Equal(ReverificationOutcome.MalformedClaims, Service().Check(new ClaimsPrincipal([Identity(null, 1, 1), Identity(null, 1, 1)]), ReverificationLevel.Strict));

    [Fact]
    public void Check_SameSubjectOnTwoIdentities_TheFirstIdentityWithTimesCounts()
    {
        Assert.Equal(ReverificationOutcome.Passed, Service().Check(new ClaimsPrincipal([Identity("u", 1, 1), Identity("u", 120, 120)]), ReverificationLevel.Strict));
        Assert.Equal(ReverificationOutcome.ReverificationRequired, Service().Check(new ClaimsPrincipal([Identity("u", 120, 120), Identity("u", 1, 1)]), ReverificationLevel.Strict));
    }

    [Fact]
    public void Check_OtherIdentitiesWithoutTimes_DoNotMatter()
    {
        var principal = new ClaimsPrincipal([new ClaimsIdentity([new Claim("role", "x")], "Cookies"), Identity("u", 1, 1), Identity("someone-else", null, null)]);
        Assert.Equal(ReverificationOutcome.Passed, Service().Check(principal, ReverificationLevel.Strict));
    }

    [Fact]
    public void Check_UnauthenticatedIdentityCarryingTimes_IsIgnored()
    {
        var principal = new ClaimsPrincipal([new ClaimsIdentity(Identity("other", 1, 1).Claims), Identity("u", 120, 120)]);
        Assert.Equal(ReverificationOutcome.ReverificationRequired, Service().Check(principal, ReverificationLevel.Strict));
    }

    [Fact]
    public void Check_SubClaimCountsAsTheSubject()
    {
        var a = new ClaimsIdentity([new Claim("sub", "u"), TestTokens.Claim("f2_verified_at", Now.AddMinutes(-1).ToUnixTimeSeconds())], "a");
        var b = new ClaimsIdentity([new Claim("sub", "u"), TestTokens.Claim("f2_verified_at", Now.AddMinutes(-2).ToUnixTimeSeconds())], "b");
        Assert.Equal(ReverificationOutcome.Passed, Service().Check(new ClaimsPrincipal([a, b]), ReverificationLevel.Strict));
    }

    /// <summary>Two bearer schemes on one policy, with real signed tokens: the times of two users never combine.</summary>
    [Fact]
    public async Task Http_TwoBearerSchemesOfDifferentSubjects_GetTheReverificationAnswerNotAPass()
    {
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/transfer", () => "sent")
                .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, "Second").RequireAuthenticatedUser())
                .RequireReverification("strict"),
            services: s => s.AddAuthentication().AddJwtBearer("Second", o =>
            {
                o.TokenValidationParameters = TestTokens.ValidationParameters(TimeProvider.System);
                o.Events = new JwtBearerEvents { OnMessageReceived = c => { c.Token = c.Request.Headers["X-Second-Token"]; return Task.CompletedTask; } };
            }),
            builderHook: b => b.Services.PostConfigure<JwtBearerOptions>("Second", o =>
            {
                var time = b.Services.BuildServiceProvider().GetRequiredService<TimeProvider>();
                o.TokenValidationParameters = TestTokens.ValidationParameters(time);
                o.TimeProvider = time;
            }));
        var now = app.Time.GetUtcNow();
        var victim = TestTokens.Timestamps(now, 120, null);
        victim["sub"] = "victim";
        var attacker = TestTokens.Timestamps(now, null, 1);
        attacker["sub"] = "attacker";

        var mixed = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(victim), configure: r => r.Headers.Add("X-Second-Token", app.Token(attacker)));
        await Answer.AssertReverificationAsync(mixed, Answer.Body("strict"), 600);

        // Each token alone decides for its own subject.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(victim))).StatusCode);
        // Two tokens of one subject, both fresh: whichever identity counts, the request passes.
        var fresh = TestTokens.Timestamps(now, 1, 1);
        fresh["sub"] = "victim";
        var sameSubject = await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(fresh), configure: r => r.Headers.Add("X-Second-Token", app.Token(fresh)));
        Assert.Equal(HttpStatusCode.OK, sameSubject.StatusCode);
    }
}
