using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Xml.Linq;

namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.AspNetCore, then restores, builds and runs a tiny app against the packed package from a local
/// folder, as a user referencing the NuGet package would.
/// </summary>
public sealed class PackageInstallTests : IDisposable
{
    private static readonly string RepositoryRoot = typeof(PackageInstallTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private readonly string _work = Directory.CreateTempSubdirectory("reverification-package-").FullName;

    // A version of its own for each run, so that no cached copy of an earlier pack is used.
    private readonly string _version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedPackage_InstallsAndProtectsAnEndpoint()
    {
        var feed = Path.Combine(_work, "feed");
        await RunAsync("dotnet", $"pack \"{Path.Combine(RepositoryRoot, "src", "Reverification.AspNetCore")}\" -c Release -o \"{feed}\" -p:Version={_version}", RepositoryRoot);

        var package = Path.Combine(feed, $"Reverification.AspNetCore.{_version}.nupkg");
        Assert.True(File.Exists(package), "the package was not produced");
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), "the symbols package was not produced");
        AssertPackageMetadata(package);

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "TinyApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.AspNetCore" Version="{_version}" />
                <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer" Version="10.0.14" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
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
                Claims = new Dictionary<string, object> { ["sub"] = "u", [ReverificationOptions.DefaultSecondFactorClaimType] = DateTimeOffset.UtcNow.AddMinutes(-minutes).ToUnixTimeSeconds() },
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            }));
            app.Run();
            """);

        await RunAsync("dotnet", "build -c Release", app);

        var port = FreePort();
        using var process = Start("dotnet", $"bin/Release/net10.0/TinyApp.dll --urls http://127.0.0.1:{port}", app);
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

    private static void AssertPackageMetadata(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("reverification", Value("tags"), StringComparison.Ordinal);
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository"));
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Reverification.AspNetCore.dll");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Reverification.AspNetCore.xml");
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

    private static Process Start(string file, string arguments, string directory, System.Text.StringBuilder? output = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(System.Text.StringBuilder? output, string? line)
    {
        if (output is not null && line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task RunAsync(string file, string arguments, string directory)
    {
        var output = new System.Text.StringBuilder();
        using var process = Start(file, arguments, directory, output);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"'{file} {arguments}' failed with exit code {process.ExitCode}:{Environment.NewLine}{output}");
    }
}
