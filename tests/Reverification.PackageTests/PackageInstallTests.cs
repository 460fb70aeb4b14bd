using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.AspNetCore, then restores, builds and runs a tiny app against the packed package from a local
/// folder, as a user referencing the NuGet package would.
/// </summary>
public sealed class PackageInstallTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task PackedPackage_InstallsAndProtectsAnEndpoint()
    {
        var package = await _workspace.PackAsync("Reverification.AspNetCore");
        PackageWorkspace.AssertPackage(package, "Reverification.AspNetCore", "lib/net10.0/Reverification.AspNetCore.dll", "lib/net10.0/Reverification.AspNetCore.xml");

        var app = await _workspace.CreateAppAsync("TinyApp", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.AspNetCore" Version="{_workspace.Version}" />
                <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="10.0.14" />
              </ItemGroup>
            </Project>
            """, """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;
            using Reverification.AspNetCore;

            var key = new SymmetricSecurityKey(new byte[32]);
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
                o.TokenValidationParameters = new() { ValidIssuer = "tiny", ValidAudience = "tiny", IssuerSigningKey = key });
            builder.Services.AddAuthorization();
            builder.Services.AddReverification();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapPost("/transfer", () => "done").RequireReverification("strict");
            app.MapGet("/token", (int minutes) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "tiny", Audience = "tiny",
                Claims = new Dictionary<string, object> { ["sub"] = "u", ["f2_verified_at"] = DateTimeOffset.UtcNow.AddMinutes(-minutes).ToUnixTimeSeconds() },
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            }));
            app.Run();
            """);

        await PackageWorkspace.RunAsync("dotnet", "build -c Release", app);

        var port = FreePort();
        using var process = PackageWorkspace.Start("dotnet", $"bin/Release/net10.0/TinyApp.dll --urls http://127.0.0.1:{port}", app);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilUpAsync(client, process);

            var fresh = await client.GetStringAsync(new Uri("/token?minutes=1", UriKind.Relative));
            var stale = await client.GetStringAsync(new Uri("/token?minutes=30", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, fresh)).StatusCode);
            var denied = await PostAsync(client, stale);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal(
                """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""",
                await denied.Content.ReadAsStringAsync());
            Assert.Contains("max_age=600", denied.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, null)).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/transfer");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request);
    }

    private static async Task WaitUntilUpAsync(HttpClient client, Process process)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            Assert.False(process.HasExited, "the tiny app exited early");
            try
            {
                await client.GetAsync(new Uri("/", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail("the tiny app did not start within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
