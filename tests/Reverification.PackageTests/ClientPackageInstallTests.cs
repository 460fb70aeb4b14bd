namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.Client and Reverification.Blazor; a tiny console app installs the client package from the
/// local folder, as a user would, and runs the handler: prompt once, retry once with the body.
/// </summary>
public sealed class ClientPackageInstallTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task PackedClientPackage_InstallsAndRetriesAfterPrompt()
    {
        var version = _workspace.Version;
        var client = await _workspace.PackAsync("Reverification.Client");
        var blazor = await _workspace.PackAsync("Reverification.Blazor");
        var clientNuspec = PackageWorkspace.AssertPackage(client, "Reverification.Client", "lib/net10.0/Reverification.Client.dll", "lib/net10.0/Reverification.Client.xml");
        Assert.DoesNotContain("Microsoft.AspNetCore", clientNuspec, StringComparison.Ordinal); // No server dependency.
        var blazorNuspec = PackageWorkspace.AssertPackage(blazor, "Reverification.Blazor", "lib/net10.0/Reverification.Blazor.dll", "staticwebassets/reverificationDialog.js");
        Assert.Contains($"id=\"Reverification.Client\" version=\"{version}\"", blazorNuspec, StringComparison.Ordinal);

        var app = await _workspace.CreateAppAsync("TinyClient", $"""
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
                <PackageReference Include="Reverification.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """, """"
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

        await PackageWorkspace.RunAsync("dotnet", "build -c Release", app);
        var output = await PackageWorkspace.RunAsync("dotnet", "bin/Release/net10.0/TinyClient.dll", app);

        Assert.Equal("200 got amount=5 prompts=1", output.Trim());
    }
}
