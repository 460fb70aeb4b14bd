namespace Reverification.PackageTests;

/// <summary>
/// Packs Reverification.AspNetCore and Reverification.Redis; a tiny app installs the Redis package from the local
/// folder, as a user would: StackExchange.Redis comes with it, and the registration replaces the in-memory store.
/// </summary>
public sealed class RedisPackageInstallTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task PackedRedisPackage_InstallsAndReplacesTheApprovalStore()
    {
        var version = _workspace.Version;
        await _workspace.PackAsync("Reverification.AspNetCore");
        var redis = await _workspace.PackAsync("Reverification.Redis");
        var nuspec = PackageWorkspace.AssertPackage(redis, "Reverification.Redis", "lib/net10.0/Reverification.Redis.dll", "lib/net10.0/Reverification.Redis.xml");
        Assert.Contains("id=\"StackExchange.Redis\"", nuspec, StringComparison.Ordinal);
        Assert.Contains($"id=\"Reverification.AspNetCore\" version=\"{version}\"", nuspec, StringComparison.Ordinal);

        var app = await _workspace.CreateAppAsync("TinyRedisApp", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Reverification.Redis" Version="{version}" />
              </ItemGroup>
            </Project>
            """, """
            using Reverification.AspNetCore;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication();
            builder.Services.AddReverification();
            builder.Services.AddRedisApprovalStore("127.0.0.1:6379");
            var app = builder.Build();
            app.MapPost("/pay", () => "paid").RequireApproval("strict", "Pay", "amount", "payee");
            Console.WriteLine(app.Services.GetRequiredService<IReverificationApprovalStore>().GetType().Name);
            """);

        await PackageWorkspace.RunAsync("dotnet", "build -c Release", app);
        var output = await PackageWorkspace.RunAsync("dotnet", "bin/Release/net10.0/TinyRedisApp.dll", app);
        Assert.Equal("RedisApprovalStore", output.Trim());
    }
}
