namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.Blazor.Server and what it depends on; a tiny Blazor Server app installs it from the local
/// folder, as a user would: the dialog is per circuit, the HTTP handler gets the circuit resolver, and the runner, the
/// circuit check and the receipt handler resolve. The Blazor package carries the form's and the dialog's scripts.
/// </summary>
public sealed class BlazorServerPackageInstallTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task PackedBlazorServerPackage_InstallsAndRegistersPerCircuit()
    {
        var version = _workspace.Version;
        await _workspace.PackAsync("Reverification.AspNetCore");
        await _workspace.PackAsync("Reverification.Client");
        await _workspace.PackAsync("Reverification.Identity");
        var blazor = await _workspace.PackAsync("Reverification.Blazor");
        var server = await _workspace.PackAsync("Reverification.Blazor.Server");
        PackageWorkspace.AssertPackage(blazor, "Reverification.Blazor", "staticwebassets/reverificationDialog.js", "staticwebassets/reverificationForm.js");
        var nuspec = PackageWorkspace.AssertPackage(server, "Reverification.Blazor.Server", "lib/net10.0/Reverification.Blazor.Server.dll", "lib/net10.0/Reverification.Blazor.Server.xml");
        Assert.Contains($"id=\"Reverification.Identity\" version=\"[{version}]\"", nuspec, StringComparison.Ordinal);
        Assert.Contains($"id=\"Reverification.Blazor\" version=\"{version}\"", nuspec, StringComparison.Ordinal);

        var app = await _workspace.CreateAppAsync("TinyBlazorServerApp", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.Blazor.Server" Version="{version}" />
              </ItemGroup>
            </Project>
            """, """
            using Microsoft.AspNetCore.Identity;
            using Reverification.Blazor;
            using Reverification.Blazor.Server;
            using Reverification.Client;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddIdentityCore<IdentityUser>().AddSignInManager();
            builder.Services.AddAuthentication().AddIdentityCookies();
            builder.Services.AddRazorComponents().AddInteractiveServerComponents();
            builder.Services.AddReverification().AddIdentityReverification<IdentityUser>();
            builder.Services.AddReverificationBlazorServer<IdentityUser>();
            builder.Services.AddHttpClient("api").AddReverificationHandler();
            // Registered, not resolved: this app has no user store for the UserManager it needs.
            var receipts = builder.Services.Single(static d => d.ServiceType == typeof(IReverificationReceiptHandler)).ImplementationType!.Name;
            var app = builder.Build();
            using var a = app.Services.CreateScope();
            using var b = app.Services.CreateScope();
            Console.WriteLine(ReferenceEquals(a.ServiceProvider.GetRequiredService<ReverificationDialogService>(), b.ServiceProvider.GetRequiredService<ReverificationDialogService>()));
            Console.WriteLine(app.Services.GetRequiredService<IReverificationPromptResolver>().Resolve() is null);
            Console.WriteLine(a.ServiceProvider.GetRequiredService<ReverificationRunner>().GetType().Name);
            Console.WriteLine(receipts);
            """);

        await PackageWorkspace.RunAsync("dotnet", "build -c Release", app);
        var output = await PackageWorkspace.RunAsync("dotnet", "bin/Release/net10.0/TinyBlazorServerApp.dll", app);

        var lines = output.Trim().Split('\n').Select(static l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["False", "True", "ReverificationRunner", "CircuitReceiptHandler`1"], lines);
    }
}
