using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;

namespace Reverification.Benchmarks;

/// <summary>
/// Through the real <see cref="IAuthorizationService"/>, on the principal JwtBearer makes of a Clerk-shaped RS256
/// token: <c>[Authorize]</c> alone (without the library, the baseline), <c>[Authorize]</c> with the library
/// registered, <c>[Authorize]</c> plus a <c>RequireClaim</c> policy, <c>[Authorize]</c> plus reverification, and the
/// token validation itself for scale.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationBenchmarks
{
    private IAuthorizationService _plain = null!;
    private IAuthorizationService _withLibrary = null!;
    private AuthorizationPolicy _authorize = null!;
    private AuthorizationPolicy _requireClaim = null!;
    private AuthorizationPolicy _reverified = null!;
    private ClaimsPrincipal _user = null!;
    private JsonWebTokenHandler _tokenHandler = null!;
    private TokenValidationParameters _parameters = null!;
    private string _rs256Token = null!;
    private string _hs256Token = null!;

    [GlobalSetup]
    public void Setup()
    {
        var payload = BenchTokens.ClerkPayload(BenchTokens.Fva(2, 1));
        _rs256Token = BenchTokens.Sign(payload, BenchTokens.Rs256);
        _hs256Token = BenchTokens.Sign(payload, BenchTokens.Hs256);
        _user = BenchTokens.Authenticate(_rs256Token);

        _plain = new ServiceCollection().AddLogging().AddAuthorization()
            .BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        _withLibrary = new ServiceCollection().AddLogging().AddReverification(o => o.Use(VerificationClaimsFormat.ClerkFva))
            .BuildServiceProvider().GetRequiredService<IAuthorizationService>();

        _authorize = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        _requireClaim = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("fva").Build();
        _reverified = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strict").Build();

        _tokenHandler = new JsonWebTokenHandler();
        _parameters = BenchTokens.ValidationParameters();

        Expect(Authorize(), Registered(), RequireClaim(), Reverification());
        if (!ValidateRs256().Result.IsValid || !ValidateHs256().Result.IsValid)
        {
            throw new InvalidOperationException("The benchmark tokens do not validate.");
        }
    }

    [Benchmark(Baseline = true, Description = "[Authorize]")]
    public Task<AuthorizationResult> Authorize() => _plain.AuthorizeAsync(_user, null, _authorize);

    [Benchmark(Description = "[Authorize], library registered")]
    public Task<AuthorizationResult> Registered() => _withLibrary.AuthorizeAsync(_user, null, _authorize);

    [Benchmark(Description = "[Authorize] + RequireClaim")]
    public Task<AuthorizationResult> RequireClaim() => _plain.AuthorizeAsync(_user, null, _requireClaim);

    [Benchmark(Description = "[Authorize] + reverification")]
    public Task<AuthorizationResult> Reverification() => _withLibrary.AuthorizeAsync(_user, null, _reverified);

    [Benchmark(Description = "ValidateTokenAsync RS256")]
    public Task<TokenValidationResult> ValidateRs256() => _tokenHandler.ValidateTokenAsync(_rs256Token, _parameters);

    [Benchmark(Description = "ValidateTokenAsync HS256")]
    public Task<TokenValidationResult> ValidateHs256() => _tokenHandler.ValidateTokenAsync(_hs256Token, _parameters);

    private static void Expect(params Task<AuthorizationResult>[] results)
    {
        foreach (var result in results)
        {
            if (!result.Result.Succeeded)
            {
                throw new InvalidOperationException("A pass-path benchmark does not pass.");
            }
        }
    }
}
