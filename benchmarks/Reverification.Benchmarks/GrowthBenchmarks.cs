using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;

namespace Reverification.Benchmarks;

/// <summary>
/// Cost against the number of claims in the principal (filler claims before the verification claims, so every one is
/// visited) and the number of reverification requirements on the endpoint (strict; strict + moderate + lax).
/// </summary>
[MemoryDiagnoser]
public class GrowthBenchmarks
{
    private IAuthorizationService _service = null!;
    private AuthorizationPolicy _policy = null!;
    private ClaimsPrincipal _user = null!;

    [Params(10, 100, 1000)]
    public int Claims { get; set; }

    [Params(1, 3)]
    public int Requirements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // The Clerk payload carries 14 claims of its own (fva as two); fill up to the total.
        var filler = Math.Max(0, Claims - 14);
        _user = BenchTokens.Authenticate(BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(2, 1), filler), BenchTokens.Rs256));
        var count = _user.Claims.Count();
        if (Math.Abs(count - Claims) > 4)
        {
            throw new InvalidOperationException($"Expected about {Claims} claims, got {count}.");
        }

        _service = new ServiceCollection().AddLogging().AddReverification(o => o.Use(VerificationClaimsFormat.ClerkFva))
            .BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        var builder = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strict");
        if (Requirements == 3)
        {
            builder.RequireReverification("moderate").RequireReverification("lax");
        }

        _policy = builder.Build();
        if (!Authorize().Result.Succeeded)
        {
            throw new InvalidOperationException("The growth benchmark does not pass.");
        }
    }

    [Benchmark(Description = "[Authorize] + reverification")]
    public Task<AuthorizationResult> Authorize() => _service.AuthorizeAsync(_user, null, _policy);
}
