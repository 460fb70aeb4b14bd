using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.Client and Reverification.Blazor; a tiny console app installs the client package from the
/// local folder, as a user would, and runs the handler: prompt once, retry once with the body.
/// </summary>
public sealed class ClientPackageInstallTests : IDisposable
{
    private static readonly string RepositoryRoot = typeof(ClientPackageInstallTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private readonly string _work = Directory.CreateTempSubdirectory("reverification-client-package-").FullName;

    // A version of its own for each run, so that no cached copy of an earlier pack is used.
    private readonly string _version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedClientPackage_InstallsAndRetriesAfterPrompt()
    {
        var feed = Path.Combine(_work, "feed");
        await RunAsync("dotnet", $"pack \"{Path.Combine(RepositoryRoot, "src", "Reverification.Client")}\" -c Release -o \"{feed}\" -p:Version={_version}", RepositoryRoot);
        await RunAsync("dotnet", $"pack \"{Path.Combine(RepositoryRoot, "src", "Reverification.Blazor")}\" -c Release -o \"{feed}\" -p:Version={_version}", RepositoryRoot);

        var client = Path.Combine(feed, $"Reverification.Client.{_version}.nupkg");
        var blazor = Path.Combine(feed, $"Reverification.Blazor.{_version}.nupkg");
        var clientNuspec = AssertPackage(client, "Reverification.Client", ["lib/net10.0/Reverification.Client.dll", "lib/net10.0/Reverification.Client.xml"]);
        Assert.DoesNotContain("Microsoft.AspNetCore", clientNuspec, StringComparison.Ordinal); // No server dependency.
        var blazorNuspec = AssertPackage(blazor, "Reverification.Blazor", ["lib/net10.0/Reverification.Blazor.dll", "staticwebassets/reverificationDialog.js"]);
        Assert.Contains($"id=\"Reverification.Client\" version=\"{_version}\"", blazorNuspec, StringComparison.Ordinal);

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
        await File.WriteAllTextAsync(Path.Combine(app, "TinyClient.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.Client" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """"
            using System.Net;
            using System.Text;
            using Microsoft.Extensions.DependencyInjection;
            using Reverification.Client;

            var services = new ServiceCollection();
            var prompt = new Prompt();
            var server = new Server(prompt);
            services.AddSingleton<IReverificationPrompt>(prompt);
            services.AddHttpClient("api", c => c.BaseAddress = new Uri("https://api.test/"))
                .AddReverificationHandler()
                .ConfigurePrimaryHttpMessageHandler(() => server);
            using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");
            var response = await client.PostAsync("transfer", new StringContent("amount=5"));
            Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} prompts={prompt.Calls}");

            sealed class Prompt : IReverificationPrompt
            {
                public int Calls;
                public bool Fresh;
                public Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
                {
                    Calls++;
                    Fresh = challenge.LevelName == "strict";
                    return Task.FromResult(true);
                }
            }

            sealed class Server(Prompt prompt) : HttpMessageHandler
            {
                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                    return prompt.Fresh
                        ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("got " + body) }
                        : new HttpResponseMessage(HttpStatusCode.Forbidden)
                        {
                            Content = new StringContent("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", Encoding.UTF8, "application/json"),
                        };
                }
            }
            """");

        await RunAsync("dotnet", "build -c Release", app);
        var output = await RunAsync("dotnet", "bin/Release/net10.0/TinyClient.dll", app);

        Assert.Equal("200 got amount=5 prompts=1", output.Trim());
    }

    private static string AssertPackage(string package, string id, string[] files)
    {
        Assert.True(File.Exists(package), $"{id} was not packed");
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{id}: no symbols package");
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var text = reader.ReadToEnd();
        var metadata = XDocument.Parse(text).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(id, Value("id"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("reverification", Value("tags"), StringComparison.Ordinal);
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        foreach (var file in files)
        {
            Assert.Contains(zip.Entries, e => e.FullName == file);
        }

        return text;
    }

    private static async Task<string> RunAsync(string file, string arguments, string directory)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit(); // Drains the redirected output.
        Assert.True(process.ExitCode == 0, $"'{file} {arguments}' failed with exit code {process.ExitCode}:{Environment.NewLine}{output}");
        return output.ToString();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
