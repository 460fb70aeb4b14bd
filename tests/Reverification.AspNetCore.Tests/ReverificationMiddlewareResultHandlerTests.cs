using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// The decorator of the app's <see cref="IAuthorizationMiddlewareResultHandler"/>: it answers with reverification only
/// when what failed is reverification alone (read from the <see cref="PolicyAuthorizationResult"/>), and otherwise
/// hands the result to the handler it wraps. Unit tests on <see cref="DefaultHttpContext"/> with a recording inner
/// handler, then how <c>AddReverification()</c> wraps the app's handler.
/// </summary>
public class ReverificationMiddlewareResultHandlerTests
{
    private static readonly DateTimeOffset Now = TestApp.Start;

    // Which results get the answer.

    [Fact]
    public async Task HandleAsync_OnlyReverificationFailed_WritesTheAnswerAndSkipsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());

        await setup.HandleAsync(context, Forbid(new ReverificationRequirement("strict")));

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(Answer.Body("strict"), Body(context));
        Assert.Equal(Answer.Challenge(600), Assert.Single(context.Response.Headers.WWWAuthenticate));
        Assert.Empty(setup.Inner.Calls);
        Assert.Equal(0, setup.NextCalls);
    }

    [Fact]
    public async Task HandleAsync_ReverificationAndAnotherRequirementFailed_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = Forbid(new ReverificationRequirement("strict"), new RolesAuthorizationRequirement(["admin"]));

        await setup.HandleAsync(context, result);

        // Reverifying would not make the caller an admin: the app's own answer.
        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_FailCalledWhileOnlyReverificationIsPending_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());

        // What the authorization middleware gets when a handler refuses with Fail() and the reverification
        // requirement is still pending: the evaluator's own result.
        var authorization = new AuthorizationHandlerContext([new ReverificationRequirement("strict")], context.User, context);
        authorization.Fail();
        var evaluated = new DefaultAuthorizationEvaluator().Evaluate(authorization);
        Assert.True(evaluated.Failure!.FailCalled);
        var result = PolicyAuthorizationResult.Forbid(evaluated.Failure);

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_ExplicitFail_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = PolicyAuthorizationResult.Forbid(AuthorizationFailure.ExplicitFail());

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_ForbidWithoutAFailure_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = PolicyAuthorizationResult.Forbid();

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_Challenge_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = PolicyAuthorizationResult.Challenge();

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_Success_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = PolicyAuthorizationResult.Success();

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_UnauthenticatedUserWithOnlyReverificationPending_CallsTheInnerHandler()
    {
        using var setup = new Setup();

        // The claims of a stale verification on an identity that is not authenticated: anonymous, never the body.
        var context = setup.Context(new ClaimsPrincipal(new ClaimsIdentity(Stale().Claims)));
        var result = Forbid(new ReverificationRequirement("strict"));

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_UnknownLevelInTheFailedRequirements_CallsTheInnerHandler()
    {
        // A configuration error is never answered with reverification: the user could not satisfy it.
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = Forbid(new ReverificationRequirement("no_such_level"));

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    [Fact]
    public async Task HandleAsync_KnownAndUnknownLevelFailed_CallsTheInnerHandler()
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        var result = Forbid(new ReverificationRequirement("strict"), new ReverificationRequirement("no_such_level"));

        await setup.HandleAsync(context, result);

        setup.AssertInnerHandled(context, result);
    }

    // Which level the answer names.

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task HandleAsync_StrictAndStrictMfaFailed_NamesStrictMfaInEitherOrder(bool strictMfaFirst, bool asHashSet)
    {
        using var setup = new Setup();
        var context = setup.Context(Stale());
        IAuthorizationRequirement strict = new ReverificationRequirement("strict");
        IAuthorizationRequirement strictMfa = new ReverificationRequirement("strict_mfa");
        IAuthorizationRequirement[] failed = strictMfaFirst ? [strictMfa, strict] : [strict, strictMfa];

        // The evaluator reports the context's pending set; any other collection is read the same way.
        IEnumerable<IAuthorizationRequirement> requirements = asHashSet ? new HashSet<IAuthorizationRequirement>(failed) : failed.ToList();
        await setup.HandleAsync(context, PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed(requirements)));

        Assert.Equal(Answer.Body("strict_mfa"), Body(context));
        Assert.Empty(setup.Inner.Calls);
    }

    [Fact]
    public async Task HandleAsync_AppLevelFailed_WritesItsFactorsAndMinutes()
    {
        using var setup = new Setup(o => o.AddLevel("export", ReverificationFactors.MultiFactor, 5));
        var context = setup.Context(Stale());

        await setup.HandleAsync(context, Forbid(new ReverificationRequirement("export")));

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(Answer.CustomBody("multi_factor", "5"), Body(context));
        Assert.Equal(Answer.Challenge(300), Assert.Single(context.Response.Headers.WWWAuthenticate));
        Assert.Empty(setup.Inner.Calls);
    }

    // Why the level was not met.

    [Theory]
    [InlineData(false, ReverificationOutcome.ReverificationRequired)]
    [InlineData(true, ReverificationOutcome.MalformedClaims)]
    public async Task HandleAsync_StaleOrMalformedClaims_TheHookReceivesTheOutcome(bool malformed, ReverificationOutcome expected)
    {
        ReverificationRejectedContext? rejected = null;
        using var setup = new Setup(o => o.OnRejected = (r, ct) =>
        {
            rejected = r;
            return new ValueTask(r.WriteDefaultBodyAsync(ct));
        });
        var user = malformed
            ? TestTokens.Principal(new Claim("f2_verified_at", "soon"), TestTokens.Claim("f1_verified_at", Now.ToUnixTimeSeconds()))
            : Stale();
        var context = setup.Context(user);

        await setup.HandleAsync(context, Forbid(new ReverificationRequirement("strict")));

        Assert.NotNull(rejected);
        Assert.Equal(expected, rejected.Outcome);
        Assert.Same(ReverificationLevel.Strict, rejected.Level);
        Assert.Same(context, rejected.HttpContext);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Equal(Answer.Body("strict"), Body(context));
        Assert.Empty(setup.Inner.Calls);
    }

    // Registration: AddReverification() wraps the handler registered before it.

    [Theory]
    [InlineData("type")]
    [InlineData("instance")]
    [InlineData("factory")]
    public async Task AddReverification_AppResultHandlerRegisteredBefore_IsTheDecoratorsInner(string registration)
    {
        var appHandler = new RecordingResultHandler();
        var services = new ServiceCollection().AddLogging();
        _ = registration switch
        {
            "type" => services.AddSingleton<IAuthorizationMiddlewareResultHandler, RecordingResultHandler>(),
            "instance" => services.AddSingleton<IAuthorizationMiddlewareResultHandler>(appHandler),
            _ => services.AddSingleton<IAuthorizationMiddlewareResultHandler>(_ => appHandler),
        };
        services.AddReverification();
        using var provider = services.BuildServiceProvider();

        var decorator = Assert.IsType<ReverificationMiddlewareResultHandler>(provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        var inner = Assert.IsType<RecordingResultHandler>(decorator.Inner);
        if (registration != "type")
        {
            Assert.Same(appHandler, inner);
        }

        // Only one handler of the type is registered: the app's was replaced, not added beside.
        Assert.Single(provider.GetServices<IAuthorizationMiddlewareResultHandler>());
        Assert.Same(decorator, provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());

        // What is not reverification reaches it.
        var context = new DefaultHttpContext { RequestServices = provider };
        await decorator.HandleAsync(static _ => Task.CompletedTask, context, Policy(), PolicyAuthorizationResult.Challenge());
        Assert.Single(inner.Calls);
    }

    [Fact]
    public void AddReverification_ScopedAppResultHandlerRegisteredBefore_IsWrappedPerScope()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddScoped<ScopedDependency>();
        services.AddScoped<IAuthorizationMiddlewareResultHandler, ScopedResultHandler>();
        services.AddReverification();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        var decorator = Assert.IsType<ReverificationMiddlewareResultHandler>(first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        var inner = Assert.IsType<ScopedResultHandler>(decorator.Inner);

        // The decorator keeps the app's lifetime: one per scope, wrapping that scope's handler and dependencies.
        Assert.Same(decorator, first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        Assert.Same(first.ServiceProvider.GetRequiredService<ScopedDependency>(), inner.Dependency);
        var other = Assert.IsType<ReverificationMiddlewareResultHandler>(second.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        Assert.NotSame(decorator, other);
        Assert.Same(second.ServiceProvider.GetRequiredService<ScopedDependency>(), Assert.IsType<ScopedResultHandler>(other.Inner).Dependency);
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
    }

    [Fact]
    public void AddReverification_NoAppResultHandler_WrapsTheDefaultHandler()
    {
        using var provider = new ServiceCollection().AddLogging().AddReverification().BuildServiceProvider();

        var decorator = Assert.IsType<ReverificationMiddlewareResultHandler>(provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        Assert.IsType<AuthorizationMiddlewareResultHandler>(decorator.Inner);
    }

    [Fact]
    public void AddReverification_CalledTwice_WrapsOnce()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RecordingResultHandler>();
        services.AddReverification().AddReverification();
        using var provider = services.BuildServiceProvider();

        var decorator = Assert.IsType<ReverificationMiddlewareResultHandler>(provider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        Assert.IsType<RecordingResultHandler>(decorator.Inner);
    }

    /// <summary>The same through a real app: the app's handler is wrapped and still answers everything else.</summary>
    [Fact]
    public async Task Http_ResultHandlerRegisteredBefore_IsWrappedAndStillHandlesOtherResults()
    {
        var custom = new CountingResultHandler();
        await using var app = await TestApp.StartAsync(
            web =>
            {
                web.MapPost("/transfer", () => "done").RequireReverification("strict");
                web.MapGet("/admin", () => "a").RequireAuthorization(p => p.RequireRole("admin"));
            },
            services: s => s.AddSingleton<IAuthorizationMiddlewareResultHandler>(custom));
        var token = app.Token(TestTokens.Timestamps(app.Time.GetUtcNow(), 30, 30));
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", token), Answer.Body("strict"), 600);
        Assert.Equal(0, custom.Calls);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.GetAsync("/admin", token)).StatusCode);
        Assert.Equal(1, custom.Calls);
    }

    // Helpers.

    /// <summary>Verified both factors 30 minutes ago: fails strict and strict_mfa, passes moderate.</summary>
    private static ClaimsPrincipal Stale()
        => TestTokens.Principal(
            new Claim("sub", "user-1"),
            TestTokens.Claim("f1_verified_at", Now.AddMinutes(-30).ToUnixTimeSeconds()),
            TestTokens.Claim("f2_verified_at", Now.AddMinutes(-30).ToUnixTimeSeconds()));

    private static PolicyAuthorizationResult Forbid(params IAuthorizationRequirement[] failed)
        => PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed(new HashSet<IAuthorizationRequirement>(failed)));

    private static AuthorizationPolicy Policy() => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    /// <summary>Services as an app registers them, and the decorator around a recording inner handler.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly ServiceProvider _services;

        public Setup(Action<ReverificationOptions>? configure = null)
        {
            _services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
                .AddReverification(configure ?? (static _ => { }))
                .BuildServiceProvider();
            Handler = new ReverificationMiddlewareResultHandler(
                Inner, _services.GetRequiredService<ReverificationService>(), _services.GetRequiredService<ReverificationResponseWriter>());
        }

        public RecordingResultHandler Inner { get; } = new();

        public ReverificationMiddlewareResultHandler Handler { get; }

        public AuthorizationPolicy Policy { get; } = ReverificationMiddlewareResultHandlerTests.Policy();

        public int NextCalls { get; private set; }

        public DefaultHttpContext Context(ClaimsPrincipal user)
        {
            var context = new DefaultHttpContext { RequestServices = _services, User = user };
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/transfer";
            context.Response.Body = new MemoryStream();
            return context;
        }

        public Task HandleAsync(HttpContext context, PolicyAuthorizationResult result)
            => Handler.HandleAsync(Next, context, Policy, result);

        /// <summary>The inner handler got the request exactly as it came, and nothing was written around it.</summary>
        public void AssertInnerHandled(HttpContext context, PolicyAuthorizationResult result)
        {
            var call = Assert.Single(Inner.Calls);
            Assert.Same(context, call.Context);
            Assert.Same(Policy, call.Policy);
            Assert.Same(result, call.Result);
            Assert.Equal((RequestDelegate)Next, call.Next);
            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
            Assert.Equal(string.Empty, Body(context));
            Assert.Equal(0, context.Response.Headers.WWWAuthenticate.Count);
        }

        public void Dispose() => _services.Dispose();

        private Task Next(HttpContext context)
        {
            NextCalls++;
            return Task.CompletedTask;
        }
    }

    internal sealed class RecordingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        public List<(RequestDelegate Next, HttpContext Context, AuthorizationPolicy Policy, PolicyAuthorizationResult Result)> Calls { get; } = [];

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            Calls.Add((next, context, policy, authorizeResult));
            return Task.CompletedTask;
        }
    }

    internal sealed class ScopedDependency;

    internal sealed class ScopedResultHandler(ScopedDependency dependency) : IAuthorizationMiddlewareResultHandler
    {
        public ScopedDependency Dependency => dependency;

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
            => Task.CompletedTask;
    }

    private sealed class CountingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public int Calls { get; private set; }

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            Calls++;
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
