using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;

namespace Reverification.Client.Tests.Infrastructure;

/// <summary>
/// A real API on TestServer: JwtBearer validating tokens signed here, endpoints protected by Reverification.AspNetCore,
/// and an <see cref="HttpClient"/> whose pipeline is <see cref="ReverificationHandler"/> → token handler → server.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private const string Issuer = "https://issuer.test";
    private const string Audience = "reverification-client-tests";

    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "client-tests" };

    private int _hits;

    private ApiServer(WebApplication app, FakeTimeProvider time)
    {
        App = app;
        Time = time;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The token the token handler attaches; the prompt swaps it.</summary>
    public string? Token { get; set; }

    /// <summary>How many times a protected endpoint ran (past authorization).</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Starts the API; <paramref name="map"/> maps more endpoints.</summary>
    public static async Task<ApiServer> StartAsync(Action<ReverificationOptions>? configure = null, Action<WebApplication>? map = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.TimeProvider = time;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Issuer,
                    ValidAudience = Audience,
                    IssuerSigningKey = SigningKey,
                    ClockSkew = TimeSpan.Zero,
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore <= now) && (expires is null || expires > now);
                    },
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddReverification(configure ?? (static _ => { }));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var server = new ApiServer(app, time);
        app.MapGet("/transfer", () => server.Hit("transferred")).RequireReverification("strict");
        app.MapGet("/delete", () => server.Hit("deleted")).RequireReverification("strict_mfa");
        app.MapGet("/profile", () => server.Hit("profile")).RequireReverification("moderate");
        app.MapGet("/custom", () => server.Hit("custom")).RequireReverification(AspNetCore.ReverificationFactors.SecondFactor, 2.5);
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return server.Hit($"{request.ContentType}|{body}");
        }).RequireReverification("strict");
        map?.Invoke(app);
        await app.StartAsync();
        return server;
    }

    /// <summary>A token whose factors were verified the given minutes ago (null: never).</summary>
    public string CreateToken(double? firstFactorMinutesAgo, double? secondFactorMinutesAgo)
    {
        var now = Time.GetUtcNow();
        var claims = new Dictionary<string, object> { ["sub"] = "user-1" };
        if (firstFactorMinutesAgo is { } f1)
        {
            claims["f1_verified_at"] = now.AddMinutes(-f1).ToUnixTimeSeconds();
        }

        if (secondFactorMinutesAgo is { } f2)
        {
            claims["f2_verified_at"] = now.AddMinutes(-f2).ToUnixTimeSeconds();
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            Expires = now.UtcDateTime.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The client an app would build: reverification outside, the token handler inside.</summary>
    public HttpClient CreateClient(IReverificationPrompt prompt)
        => new(new ReverificationHandler(prompt) { InnerHandler = new TokenHandler(this) { InnerHandler = App.GetTestServer().CreateHandler() } })
        {
            BaseAddress = new Uri("http://localhost/"),
        };

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    private string Hit(string result)
    {
        Interlocked.Increment(ref _hits);
        return result;
    }

    private sealed class TokenHandler(ApiServer server) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (server.Token is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A prompt that "reverifies" by minting a token with fresh verification times, as a sign-in would.</summary>
internal sealed class TokenSwappingPrompt(ApiServer server, Func<ReverificationChallenge, bool>? decide = null) : IReverificationPrompt
{
    private readonly List<ReverificationChallenge> _challenges = [];

    public IReadOnlyList<ReverificationChallenge> Challenges
    {
        get
        {
            lock (_challenges)
            {
                return [.. _challenges];
            }
        }
    }

    /// <summary>Released to answer; <see langword="null"/> answers at once.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        lock (_challenges)
        {
            _challenges.Add(challenge);
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (decide is not null && !decide(challenge))
        {
            return false;
        }

        server.Token = server.CreateToken(firstFactorMinutesAgo: 0, secondFactorMinutesAgo: 0);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Challenges.Count} prompts");
}
