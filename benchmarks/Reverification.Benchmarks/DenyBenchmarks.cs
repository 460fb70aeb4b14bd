using System.Security.Claims;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;

namespace Reverification.Benchmarks;

/// <summary>
/// What the authorization middleware does after authentication, on a fresh <see cref="DefaultHttpContext"/> per call:
/// the policy evaluator, then the result handler. The pass path calls the endpoint (a no-op); the deny path writes
/// the 403 with its JSON body and challenge header; ASP.NET Core's own 403 (a failed <c>RequireClaim</c>, answered
/// by JwtBearer's forbid) is the anchor.
/// </summary>
[MemoryDiagnoser]
public class DenyBenchmarks
{
    private static readonly RequestDelegate s_next = static _ => Task.CompletedTask;

    private IServiceProvider _services = null!;
    private IPolicyEvaluator _evaluator = null!;
    private IAuthorizationMiddlewareResultHandler _resultHandler = null!;
    private AuthorizationPolicy _reverified = null!;
    private AuthorizationPolicy _missingClaim = null!;
    private AuthenticateResult _passing = null!;
    private AuthenticateResult _stale = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = BenchTokens.ValidationParameters())
            .Services
            .AddReverification(o => o.Use(VerificationClaimsFormat.ClerkFva))
            .BuildServiceProvider();
        _evaluator = _services.GetRequiredService<IPolicyEvaluator>();
        _resultHandler = _services.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        _reverified = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strict").Build();
        _missingClaim = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim("org_role", "admin").Build();
        _passing = Ticket(BenchTokens.Authenticate(BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(2, 1)), BenchTokens.Rs256)));
        _stale = Ticket(BenchTokens.Authenticate(BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(60, 60)), BenchTokens.Rs256)));

        Check(_passing, _reverified, StatusCodes.Status200OK, expectBody: false);
        Check(_stale, _reverified, StatusCodes.Status403Forbidden, expectBody: true);
        Check(_passing, _missingClaim, StatusCodes.Status403Forbidden, expectBody: false);
    }

    [Benchmark(Baseline = true, Description = "Pass: evaluate + result handler")]
    public Task<HttpContext> Pass() => Run(_passing, _reverified);

    [Benchmark(Description = "Deny: reverification 403 + body")]
    public Task<HttpContext> DenyReverification() => Run(_stale, _reverified);

    [Benchmark(Description = "Deny: RequireClaim, JwtBearer's 403")]
    public Task<HttpContext> DenyRequireClaim() => Run(_passing, _missingClaim);

    private Task<HttpContext> Run(AuthenticateResult authentication, AuthorizationPolicy policy)
        => Run(authentication, policy, Stream.Null);

    private async Task<HttpContext> Run(AuthenticateResult authentication, AuthorizationPolicy policy, Stream body)
    {
        var context = new DefaultHttpContext { RequestServices = _services, User = authentication.Principal! };
        context.Response.Body = body;
        var result = await _evaluator.AuthorizeAsync(policy, authentication, context, context);
        await _resultHandler.HandleAsync(s_next, context, policy, result);
        return context;
    }

    private static AuthenticateResult Ticket(ClaimsPrincipal user)
        => AuthenticateResult.Success(new AuthenticationTicket(user, JwtBearerDefaults.AuthenticationScheme));

    private void Check(AuthenticateResult authentication, AuthorizationPolicy policy, int status, bool expectBody)
    {
        using var body = new MemoryStream();
        var response = Run(authentication, policy, body).Result.Response;
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"Expected {status} but got {response.StatusCode}.");
        }

        if (expectBody)
        {
            if (body.Length == 0 || response.Headers.WWWAuthenticate.Count == 0)
            {
                throw new InvalidOperationException("The reverification answer has no body or no challenge.");
            }

            Console.WriteLine($"// Deny answer: {response.StatusCode} {response.Headers.WWWAuthenticate} {Encoding.UTF8.GetString(body.ToArray())}");
        }
    }
}
