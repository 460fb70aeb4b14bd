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
using Reverification.AspNetCore.Internal;

namespace Reverification.Benchmarks;

/// <summary>
/// The one-time approval's pass path, on a fresh <see cref="DefaultHttpContext"/> with a 1 KB JSON body per call: the
/// policy evaluator and the result handler as the authorization middleware runs them, for a <c>RequireReverification</c>
/// endpoint (baseline) and a <c>RequireApproval</c> endpoint whose retry consumes an approved approval of the in-memory
/// store (digest of method, path, query and body; lookup and atomic consume). The approval pass includes adding and
/// approving that approval (what the first call and the verification did), also measured alone, as is the digest.
/// </summary>
[MemoryDiagnoser]
public class ApprovalBenchmarks
{
    private static readonly RequestDelegate s_next = static _ => Task.CompletedTask;

    private readonly byte[] _body = Encoding.UTF8.GetBytes("{\"amount\":\"25.00\",\"currency\":\"EUR\",\"payee\":\"Carol\",\"note\":\"" + new string('x', 1024 - 70) + "\"}");
    private IServiceProvider _services = null!;
    private IPolicyEvaluator _evaluator = null!;
    private IAuthorizationMiddlewareResultHandler _resultHandler = null!;
    private IServiceProvider _lookupServices = null!;
    private IPolicyEvaluator _lookupEvaluator = null!;
    private IAuthorizationMiddlewareResultHandler _lookupResultHandler = null!;
    private IReverificationApprovalStore _store = null!;
    private AuthorizationPolicy _reverified = null!;
    private AuthorizationPolicy _approval = null!;
    private AuthenticateResult _passing = null!;
    private ReverificationApproval _approved = null!;

    // The id the last AddAndApproveAsync added: each call adds a new one (the store keeps 16 per subject, and an id
    // added again would evict itself).
    private string _id = null!;
    private RequireApprovalAttribute _settings = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = BuildServices(static _ => { });
        _evaluator = _services.GetRequiredService<IPolicyEvaluator>();
        _resultHandler = _services.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        _lookupServices = BuildServices(s => s.AddSingleton<IReverificationApprovalStore>(new LookupOnlyStore(() => _approved)));
        _lookupEvaluator = _lookupServices.GetRequiredService<IPolicyEvaluator>();
        _lookupResultHandler = _lookupServices.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        _store = _services.GetRequiredService<IReverificationApprovalStore>();
        _settings = new RequireApprovalAttribute("strict");
        _reverified = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireReverification("strict").Build();
        _approval = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements([.. _settings.GetRequirements()]).Build();
        var user = BenchTokens.Authenticate(BenchTokens.Sign(BenchTokens.ClerkPayload(BenchTokens.Fva(2, 1)), BenchTokens.Rs256));
        _passing = AuthenticateResult.Success(new AuthenticationTicket(user, JwtBearerDefaults.AuthenticationScheme));

        var digest = ApprovalRequestDigest.GetAsync(NewContext(approvalId: null), _settings, 64 * 1024).AsTask().GetAwaiter().GetResult();
        _approved = new ReverificationApproval
        {
            Id = ApprovalIds.Create(),
            Subject = ApprovalService.SubjectOf(user) ?? throw new InvalidOperationException("The benchmark token has no subject."),
            Digest = digest.Digest.ToArray(),
            Factors = ReverificationFactors.SecondFactor,
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        };

        _id = _approved.Id;
        if (Run(_passing, _reverified, approvalId: null).GetAwaiter().GetResult().Response.StatusCode != 200
            || Enumerable.Range(0, 40).Any(_ => ApprovalPass().GetAwaiter().GetResult().Response.StatusCode != 200) // past the per-subject limit
            || ApprovalPassLookup().GetAwaiter().GetResult().Response.StatusCode != 200
            || Run(_passing, _approval, _approved.Id).GetAwaiter().GetResult().Response.StatusCode != 403
            || StoreRoundTrip().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The benchmark's requests do not get the expected answers.");
        }
    }

    [Benchmark(Baseline = true, Description = "RequireReverification pass: evaluate + result handler, 1 KB body")]
    public Task<HttpContext> ReverificationPass() => Run(_passing, _reverified, approvalId: null);

    [Benchmark(Description = "RequireApproval pass: add + approve, then evaluate (digest + consume) + result handler")]
    public async Task<HttpContext> ApprovalPass()
    {
        await AddAndApproveAsync();
        return await Run(_passing, _approval, _id);
    }

    [Benchmark(Description = "RequireApproval pass: evaluate (digest + a dictionary lookup for the consume) + result handler")]
    public Task<HttpContext> ApprovalPassLookup() => Run(_lookupEvaluator, _lookupResultHandler, _lookupServices, _passing, _approval, _approved.Id);

    [Benchmark(Description = "In-memory store: add + approve + consume")]
    public async Task<ReverificationApproval?> StoreRoundTrip()
    {
        await AddAndApproveAsync();
        return await _store.ConsumeAsync(_id, default);
    }

    [Benchmark(Description = "Digest of the 1 KB request (read into a pooled buffer + SHA-256)")]
    public async Task<byte[]> Digest()
    {
        var context = NewContext(approvalId: null);
        var digest = await ApprovalRequestDigest.GetAsync(context, _settings, 64 * 1024);
        digest.Dispose();
        return digest.Digest;
    }

    /// <summary>JWT bearer and the library; <paramref name="before"/> registers first (a store of its own wins).</summary>
    private static ServiceProvider BuildServices(Action<IServiceCollection> before)
    {
        var services = new ServiceCollection().AddLogging();
        before(services);
        return services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = BenchTokens.ValidationParameters())
            .Services
            .AddReverification(o => o.Use(VerificationClaimsFormat.ClerkFva))
            .BuildServiceProvider();
    }

    private async Task AddAndApproveAsync()
    {
        var approval = new ReverificationApproval
        {
            Id = ApprovalIds.Create(),
            Subject = _approved.Subject,
            Digest = _approved.Digest,
            Factors = _approved.Factors,
            ExpiresAt = _approved.ExpiresAt,
        };
        await _store.AddAsync(approval, default);
        await _store.ApproveAsync(approval.Id, default);
        _id = approval.Id;
    }

    private DefaultHttpContext NewContext(string? approvalId, IServiceProvider? services = null)
    {
        var context = new DefaultHttpContext { RequestServices = services ?? _services };
        context.Request.Method = "POST";
        context.Request.Path = "/transfer";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = _body.Length;
        context.Request.Body = new MemoryStream(_body, writable: false);
        context.Response.Body = Stream.Null;
        if (approvalId is not null)
        {
            context.Request.Headers["Reverification-Approval"] = approvalId;
        }

        return context;
    }

    private Task<HttpContext> Run(AuthenticateResult authentication, AuthorizationPolicy policy, string? approvalId)
        => Run(_evaluator, _resultHandler, _services, authentication, policy, approvalId);

    private async Task<HttpContext> Run(
        IPolicyEvaluator evaluator, IAuthorizationMiddlewareResultHandler resultHandler, IServiceProvider services, AuthenticateResult authentication, AuthorizationPolicy policy, string? approvalId)
    {
        var context = NewContext(approvalId, services);
        context.User = authentication.Principal!;
        var result = await evaluator.AuthorizeAsync(policy, authentication, context, context);
        await resultHandler.HandleAsync(s_next, context, policy, result);
        if (context.Features.Get<ApprovalRequestDigest>() is { } digest)
        {
            // What the response's end does (RegisterForDispose): the pooled body buffer goes back.
            digest.Dispose();
        }

        return context;
    }

    /// <summary>
    /// The pass path without the cost of adding and approving an approval per call: a consume is one lookup in a
    /// <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> that answers the approved approval
    /// (and keeps it, so that every call finds it). The approved copy is the in-memory store's own.
    /// </summary>
    private sealed class LookupOnlyStore(Func<ReverificationApproval> approved) : IReverificationApprovalStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReverificationApproval> _entries = new(StringComparer.Ordinal);

        public ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ReverificationApproval?> FindAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken)
        {
            if (_entries.IsEmpty)
            {
                var store = new InMemoryApprovalStore(TimeProvider.System);
                var approval = approved();
                store.AddAsync(approval, cancellationToken).AsTask().GetAwaiter().GetResult();
                store.ApproveAsync(approval.Id, cancellationToken).AsTask().GetAwaiter().GetResult();
                _entries[approval.Id] = store.FindAsync(approval.Id, cancellationToken).AsTask().GetAwaiter().GetResult()!;
            }

            return new(_entries.TryGetValue(id, out var found) ? found : null);
        }
    }
}
