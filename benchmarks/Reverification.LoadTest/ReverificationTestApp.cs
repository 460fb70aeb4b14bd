using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;

namespace Reverification.LoadTest;

/// <summary>
/// A minimal API protected by real JWT bearer authentication (<see cref="TestTokens.Key"/>) and the library:
/// <c>GET /me</c> needs an authenticated caller (<c>GET /claims</c> lists its claims), and <c>GET /{level}</c> needs reverification at that level for each
/// preset and each level in <c>customLevels</c>.
/// </summary>
internal static class ReverificationTestApp
{
    public static WebApplication Create(
        bool useTestServer,
        Action<ReverificationOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        IEnumerable<string>? customLevels = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (useTestServer)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }

        builder.Logging.ClearProviders();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = true;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TestTokens.Issuer,
                    ValidAudience = TestTokens.Audience,
                    IssuerSigningKey = TestTokens.Key,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddReverification(o => configure?.Invoke(o));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", () => "ok").RequireAuthorization();

        // What the app received from JwtBearer, to compare with what was sent.
        app.MapGet("/claims", (System.Security.Claims.ClaimsPrincipal user)
            => user.Claims.Select(static c => new { type = c.Type, value = c.Value, valueType = c.ValueType })).RequireAuthorization();
        foreach (var level in ReverificationLevel.Presets.Select(static l => l.Name!).Concat(customLevels ?? []))
        {
            app.MapGet("/" + level, () => "ok").RequireReverification(level);
        }

        return app;
    }

    /// <summary>The address Kestrel bound (after <c>StartAsync</c>).</summary>
    public static Uri GetAddress(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
