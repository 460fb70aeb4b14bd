using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.Blazor.Server;
using Reverification.Client;

namespace Reverification.Blazor.Tests.Server;

/// <summary>
/// <see cref="CircuitReverification"/>: a service demands a level for the circuit's user, with the server library's
/// levels, claim format and decision.
/// </summary>
public sealed class CircuitReverificationTests
{
    private static CircuitReverification For(ClaimsPrincipal user)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverification(o => o.AddLevel("export", Reverification.AspNetCore.ReverificationFactors.FirstFactor, 2.5));
        services.AddScoped<AuthenticationStateProvider>(_ => new FixedState(user));
        services.AddReverificationBlazorServer();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<CircuitReverification>();
    }

    private static ClaimsPrincipal Verified(TimeSpan firstAgo, TimeSpan? secondAgo)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "alice"),
            new("f1_verified_at", (now - firstAgo).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        if (secondAgo is { } ago)
        {
            claims.Add(new("f2_verified_at", (now - ago).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Identity.Application"));
    }

    private static IReverificationPageCheck PageCheckFor(ClaimsPrincipal user)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverification();
        services.AddScoped<AuthenticationStateProvider>(_ => new FixedState(user));
        services.AddReverificationBlazorServer();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<IReverificationPageCheck>();
    }

    [Fact]
    public async Task PageCheck_DecidesOnTheCircuitsUser()
    {
        Assert.Null(await PageCheckFor(Verified(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1))).CheckAsync("strict", default));
        Assert.Same(ReverificationChallenge.Strict, await PageCheckFor(Verified(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(11))).CheckAsync("strict", default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => PageCheckFor(new ClaimsPrincipal(new ClaimsIdentity())).CheckAsync("strict", default));
        await Assert.ThrowsAsync<ArgumentException>(() => PageCheckFor(Verified(TimeSpan.Zero, TimeSpan.Zero)).CheckAsync("stric", default));
    }

    [Fact]
    public async Task PageCheck_InlineLevel_DecidedOnTheCircuitsUser()
    {
        // [RequireReverificationPage(SecondFactor, 2.5)] or the server attribute's inline level, in a circuit.
        Assert.Null(await PageCheckFor(Verified(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2))).CheckAsync(Reverification.Client.ReverificationFactors.SecondFactor, 2.5, default));

        var challenge = await PageCheckFor(Verified(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3))).CheckAsync(Reverification.Client.ReverificationFactors.SecondFactor, 2.5, default);
        Assert.Equal(new ReverificationChallenge(Reverification.Client.ReverificationFactors.SecondFactor, 2.5), challenge);

        // A password two minutes ago does not pass multi_factor within 2.5 minutes when the code is older.
        Assert.NotNull(await PageCheckFor(Verified(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3))).CheckAsync(Reverification.Client.ReverificationFactors.MultiFactor, 2.5, default));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => PageCheckFor(new ClaimsPrincipal(new ClaimsIdentity())).CheckAsync(Reverification.Client.ReverificationFactors.SecondFactor, 5, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => PageCheckFor(Verified(TimeSpan.Zero, TimeSpan.Zero)).CheckAsync(Reverification.Client.ReverificationFactors.SecondFactor, 0, default));
    }

    [Fact]
    public async Task EnsureAsync_Fresh_Returns()
    {
        var circuit = For(Verified(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));

        await circuit.EnsureAsync("strict");
        Assert.True(await circuit.HasReverifiedAsync("strict_mfa"));
    }

    [Fact]
    public async Task EnsureAsync_Stale_ThrowsWithThePresetChallenge()
    {
        var circuit = For(Verified(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(11)));

        var e = await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.EnsureAsync("strict"));

        Assert.Same(ReverificationChallenge.Strict, e.Challenge);
        Assert.False(await circuit.HasReverifiedAsync("strict"));
    }

    [Fact]
    public async Task EnsureAsync_AppLevel_InlineChallengeAsTheServerAnswers()
    {
        var circuit = For(Verified(TimeSpan.FromMinutes(3), secondAgo: null));

        var e = await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.EnsureAsync("export"));

        Assert.Null(e.Challenge.LevelName);
        Assert.Equal(Reverification.Client.ReverificationFactors.FirstFactor, e.Challenge.Factors);
        Assert.Equal(2.5, e.Challenge.MaxAgeMinutes);
    }

    [Fact]
    public async Task EnsureAsync_NoVerificationClaims_FailsClosed()
    {
        var circuit = For(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "Identity.Application")));

        await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.EnsureAsync("lax"));
    }

    [Fact]
    public async Task EnsureAsync_Anonymous_Unauthorized()
    {
        var circuit = For(new ClaimsPrincipal(new ClaimsIdentity()));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => circuit.EnsureAsync("strict"));
    }

    [Fact]
    public async Task EnsureAsync_UnknownLevel_ArgumentExceptionNeverAPass()
    {
        var circuit = For(Verified(TimeSpan.Zero, TimeSpan.Zero));

        await Assert.ThrowsAsync<ArgumentException>(() => circuit.EnsureAsync("Strict"));
    }

    private sealed class FixedState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
