namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.AspNetCore and Reverification.Identity; a tiny app installs the Identity package from the local
/// folder, as a user would, and its types resolve: the endpoints map and the single-use authenticator provider is
/// Identity's.
/// </summary>
public sealed class IdentityPackageInstallTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task PackedIdentityPackage_InstallsAndMapsTheEndpoints()
    {
        var version = _workspace.Version;
        await _workspace.PackAsync("Reverification.AspNetCore");
        var identity = await _workspace.PackAsync("Reverification.Identity");
        var nuspec = PackageWorkspace.AssertPackage(identity, "Reverification.Identity", "lib/net10.0/Reverification.Identity.dll", "lib/net10.0/Reverification.Identity.xml");
        Assert.Contains($"id=\"Reverification.AspNetCore\" version=\"[{version}]\"", nuspec, StringComparison.Ordinal);

        var app = await _workspace.CreateAppAsync("TinyIdentityApp", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.Identity" Version="{version}" />
              </ItemGroup>
            </Project>
            """, """
            using Microsoft.AspNetCore.Identity;
            using Microsoft.Extensions.Options;
            using Reverification.Identity;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddIdentityCore<IdentityUser>().AddSignInManager();
            builder.Services.AddAuthentication().AddIdentityCookies();
            builder.Services.AddReverification().AddIdentityReverification<IdentityUser>(o => o.AttemptLimit = 5);
            var app = builder.Build();
            var group = app.MapReverificationEndpoints<IdentityUser>();
            var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Select(e => e.RoutePattern.RawText).Order();
            var tokens = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Tokens;
            Console.WriteLine(string.Join(" ", routes));
            Console.WriteLine(tokens.ProviderMap[tokens.AuthenticatorTokenProvider].ProviderType!.Name);
            Console.WriteLine(app.Services.GetRequiredService<IOptions<IdentityReverificationOptions>>().Value.AttemptLimit);
            """);

        await PackageWorkspace.RunAsync("dotnet", "build -c Release", app);
        var output = await PackageWorkspace.RunAsync("dotnet", "bin/Release/net10.0/TinyIdentityApp.dll", app);

        var lines = output.Trim().Split('\n').Select(static l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(
            "/reverify/authenticator /reverify/check /reverify/methods /reverify/passkey /reverify/passkey/options /reverify/password /reverify/receipt /reverify/recovery-code",
            lines[0]);
        Assert.Equal("SingleUseAuthenticatorTokenProvider`1", lines[1]);
        Assert.Equal("5", lines[2]);
    }
}
