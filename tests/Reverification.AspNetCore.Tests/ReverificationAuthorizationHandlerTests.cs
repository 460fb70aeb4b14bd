using System.Security.Claims;
using CsCheck;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>The handler on its own, with <see cref="AuthorizationHandlerContext"/> built directly.</summary>
public class ReverificationAuthorizationHandlerTests
{
    private static readonly DateTimeOffset Now = TestApp.Start;

    private static (ReverificationAuthorizationHandler Handler, FakeTimeProvider Time) Create(Action<ReverificationOptions>? configure = null)
    {
        var options = new ReverificationOptions();
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Now);
        var service = new ReverificationService(Options.Create(options), time, NullLogger<ReverificationService>.Instance);
        return (new ReverificationAuthorizationHandler(service, NullLogger<ReverificationAuthorizationHandler>.Instance), time);
    }

    private static AuthorizationHandlerContext Context(ClaimsPrincipal user, params IAuthorizationRequirement[] requirements)
        => new(requirements, user, new DefaultHttpContext());

    private static ClaimsPrincipal User(double? f1MinutesAgo, double? f2MinutesAgo)
    {
        var claims = new List<Claim>();
        if (f1MinutesAgo is { } f1)
        {
            claims.Add(TestTokens.Claim("f1_verified_at", Now.AddMinutes(-f1).ToUnixTimeSeconds()));
        }

        if (f2MinutesAgo is { } f2)
        {
            claims.Add(TestTokens.Claim("f2_verified_at", Now.AddMinutes(-f2).ToUnixTimeSeconds()));
        }

        return TestTokens.Principal([.. claims]);
    }

    [Fact]
    public async Task HandleAsync_Fresh_Succeeds()
    {
        var (handler, _) = Create();
        var requirement = new ReverificationRequirement("strict");
        var context = Context(User(5, 5), requirement);
        await handler.HandleAsync(context);
        Assert.True(context.HasSucceeded);
    }

    [Fact]
    public async Task HandleAsync_Stale_LeavesTheRequirementPendingWithoutCallingFail()
    {
        var (handler, _) = Create();
        var requirement = new ReverificationRequirement("strict");
        var context = Context(User(5, 11), requirement);
        await handler.HandleAsync(context);
        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
        Assert.Empty(context.FailureReasons);
        Assert.Equal([requirement], context.PendingRequirements);
    }

    [Fact]
    public async Task HandleAsync_ClockMovesPastTheWindow_Fails()
    {
        var (handler, time) = Create();
        var user = User(5, 5);
        var first = Context(user, new ReverificationRequirement("strict"));
        await handler.HandleAsync(first);
        Assert.True(first.HasSucceeded);
        time.Advance(TimeSpan.FromMinutes(5));
        var second = Context(user, new ReverificationRequirement("strict"));
        await handler.HandleAsync(second);
        Assert.False(second.HasSucceeded);
        Assert.NotEmpty(second.PendingRequirements);
    }

    [Fact]
    public async Task HandleAsync_Unauthenticated_LeavesRequirementPendingWithoutReason()
    {
        var (handler, _) = Create();
        var requirement = new ReverificationRequirement("strict");
        var context = Context(new ClaimsPrincipal(new ClaimsIdentity()), requirement);
        await handler.HandleAsync(context);
        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
        Assert.Contains(requirement, context.PendingRequirements);
    }

    [Fact]
    public async Task HandleAsync_OtherRequirementsOnly_DoesNothing()
    {
        var (handler, _) = Create();
        var other = new Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement();
        var context = Context(User(1, 1), other);
        await handler.HandleAsync(context);
        Assert.False(context.HasFailed);
        Assert.Contains(other, context.PendingRequirements);
    }

    [Fact]
    public async Task HandleAsync_SeveralRequirements_EachDecidedOnItsOwn()
    {
        var (handler, _) = Create(o => o.AddLevel("hour", ReverificationFactors.FirstFactor, 60));
        var lax = new ReverificationRequirement("lax");
        var strict = new ReverificationRequirement("strict");
        var hour = new ReverificationRequirement("hour");
        var context = Context(User(30, 30), lax, strict, hour);
        await handler.HandleAsync(context);
        Assert.DoesNotContain(lax, context.PendingRequirements);
        Assert.DoesNotContain(hour, context.PendingRequirements);
        Assert.Equal([strict], context.PendingRequirements);
        Assert.False(context.HasFailed);
    }

    [Fact]
    public async Task HandleAsync_UnknownLevel_FailsWithoutReverificationReason()
    {
        var (handler, _) = Create();
        var context = Context(User(1, 1), new ReverificationRequirement("unknown"));
        await handler.HandleAsync(context);
        Assert.True(context.HasFailed);
        Assert.Contains("No reverification level is named 'unknown'", Assert.Single(context.FailureReasons).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ThrowingCustomReader_DeniesAsMalformed()
    {
        var (handler, _) = Create(o => o.UseClaimsReader(new ThrowingReader()));
        var context = Context(User(1, 1), new ReverificationRequirement("lax"));
        await handler.HandleAsync(context);
        Assert.False(context.HasSucceeded);
        Assert.NotEmpty(context.PendingRequirements);
    }

    [Fact]
    public async Task HandleAsync_CustomReader_IsUsed()
    {
        var (handler, _) = Create(o => o.UseClaimsReader(new FixedReader(VerificationTimes.Found(Now.AddMinutes(-1), Now.AddMinutes(-1)))));
        var context = Context(TestTokens.Principal(), new ReverificationRequirement("strict_mfa"));
        await handler.HandleAsync(context);
        Assert.True(context.HasSucceeded);
    }

    /// <summary>Any string in any verification claim: never an exception, and never a pass unless it is a canonical, recent Unix time.</summary>
    [Fact]
    public void HandleAsync_ArbitraryClaimValues_NeverThrowAndPassOnlyOnCanonicalRecentTimes()
    {
        var (handler, _) = Create();
        var recent = Now.AddMinutes(-3).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Gen.OneOf(Gen.String, Gen.String[Gen.Char.AlphaNumeric, 0, 25], Gen.Long.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Const(recent))
            .Array[1, 3]
            .Sample(values =>
            {
                var claims = values.Select((v, i) => new Claim(i % 2 == 0 ? "f2_verified_at" : "f1_verified_at", v)).ToArray();
                var context = Context(TestTokens.Principal(claims), new ReverificationRequirement("strict"));
                handler.HandleAsync(context).GetAwaiter().GetResult();
                var f2 = values.Where((_, i) => i % 2 == 0).ToArray();
                var f1 = values.Where((_, i) => i % 2 == 1).ToArray();
                var shouldPass = f1.Length <= 1 && f2.Length == 1 && f2[0] == recent && (f1.Length == 0 || IsCanonicalPastTime(f1[0]));
                return context.HasSucceeded == shouldPass;
            }, iter: 5000);
    }

    private static bool IsCanonicalPastTime(string value)
        => value.Length > 0 && value.All(char.IsAsciiDigit) && (value == "0" || value[0] != '0') && value.Length <= 18
            && long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) <= Now.AddMinutes(1).ToUnixTimeSeconds();

    private sealed class ThrowingReader : IVerificationClaimsReader
    {
        public VerificationTimes Read(ClaimsIdentity identity) => throw new FormatException("boom");
    }

    private sealed class FixedReader(VerificationTimes times) : IVerificationClaimsReader
    {
        public VerificationTimes Read(ClaimsIdentity identity) => times;
    }
}
