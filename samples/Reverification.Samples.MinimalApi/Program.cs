// A minimal API protected with Reverification, callable with curl.
//   dotnet run --project samples/Reverification.Samples.MinimalApi
//   TOKEN=$(curl -s -X POST "http://localhost:5080/dev/token?firstFactorMinutesAgo=2&secondFactorMinutesAgo=2")
//   curl -i -X POST http://localhost:5080/api/transfer -H "Authorization: Bearer $TOKEN"
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// A development signing key made at start-up: tokens from an earlier run stop working, and no key is committed.
var signingKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
const string Issuer = "reverification-sample";

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(o =>
    {
        // Keep the token's claim names as issued (`sub`, not ClaimTypes.NameIdentifier): by default JwtBearer renames
        // well-known JWT claims to the long WS-* URIs, and code that reads `sub` would find nothing.
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = signingKey,
        };
    });
builder.Services.AddAuthorization();
builder.Services.AddReverification(o => o.AddLevel("export", ReverificationFactors.FirstFactor, 2.5));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup("/api").RequireAuthorization();
api.MapGet("/profile", (HttpContext http) => new { user = http.User.FindFirst("sub")?.Value });
api.MapPost("/transfer", () => new { transferred = true }).RequireReverification("strict");
api.MapDelete("/account", () => new { deleted = true }).RequireReverification("strict_mfa");
api.MapPost("/export", () => new { exported = true }).RequireReverification("export");
api.MapGet("/report", (HttpContext http) =>
    http.HasReverified("moderate") ? Results.Ok(new { report = "..." }) : ReverificationResults.Required("moderate"));

// Development only: issues a token as if the user had verified each factor the given number of minutes ago
// (omit a factor for "never"). A real app issues tokens after checking a password or code, with ReverificationRecorder.
if (app.Environment.IsDevelopment())
{
    app.MapPost("/dev/token", (double? firstFactorMinutesAgo, double? secondFactorMinutesAgo, TimeProvider time) =>
    {
        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object> { ["sub"] = "demo-user" };
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
            Audience = Issuer,
            Claims = claims,
            Expires = now.UtcDateTime.AddHours(1),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256),
        });
    });
}

app.Run();
