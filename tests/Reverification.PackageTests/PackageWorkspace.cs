using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Reverification.PackageTests;

/// <summary>
/// A temporary folder with a local package feed: packs the repository's projects into it with a version of their own
/// (so that no cached copy of an earlier pack is used), checks what a package holds, and builds and runs small apps
/// that reference the packed packages from the feed, as a user referencing them from NuGet would.
/// </summary>
internal sealed partial class PackageWorkspace : IDisposable
{
    private const int MaxReadmeBytes = 8 * 1024;

    private const string ProjectUrl = "https://github.com/reverification/reverification-dotnet";

    private static readonly string RepositoryRoot = typeof(PackageWorkspace).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private readonly string _root = Directory.CreateTempSubdirectory("reverification-package-").FullName;

    public string Version { get; } = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public string Feed => Path.Combine(_root, "feed");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Packs <c>src/{id}</c> in Release into the feed; returns the .nupkg's path.</summary>
    public async Task<string> PackAsync(string id)
    {
        await RunAsync("dotnet", $"pack \"{Path.Combine(RepositoryRoot, "src", id)}\" -c Release -o \"{Feed}\" -p:Version={Version}", RepositoryRoot);
        return Path.Combine(Feed, $"{id}.{Version}.nupkg");
    }

    /// <summary>
    /// Checks the package's metadata, symbols package, its own packed README (<see cref="AssertOwnReadme"/>) and
    /// <paramref name="files"/>; returns the nuspec.
    /// </summary>
    public static string AssertPackage(string package, string id, params string[] files)
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
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("reverification", Value("tags"), StringComparison.Ordinal);
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository"));
        AssertOwnReadme(zip, id);
        foreach (var file in files)
        {
            Assert.Contains(zip.Entries, e => e.FullName == file);
        }

        return text;
    }

    /// <summary>
    /// The package's README is its own short <c>src/{id}/README.md</c>, not the repository's, and every link in it is
    /// absolute: a relative link resolves against the package page and breaks there.
    /// </summary>
    public static void AssertOwnReadme(ZipArchive package, string id)
    {
        var entry = package.Entries.SingleOrDefault(e => e.FullName == "README.md");
        Assert.True(entry is not null, $"{id}: no README.md at the package root");
        string readme;
        using (var reader = new StreamReader(entry.Open()))
        {
            readme = reader.ReadToEnd();
        }

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot, "src", id, "README.md")), readme);
        Assert.NotEqual(File.ReadAllText(Path.Combine(RepositoryRoot, "README.md")), readme);
        Assert.Equal($"# {id}", readme.Split('\n')[0].TrimEnd('\r'));
        Assert.Contains($"dotnet add package {id}", readme, StringComparison.Ordinal);
        Assert.True(entry.Length <= MaxReadmeBytes, $"{id}: the packed README has {entry.Length} bytes; a package README is short (at most {MaxReadmeBytes}) and links to the docs");
        var links = LinkTarget().Matches(readme).Select(m => m.Groups["target"].Value).ToList();
        Assert.Contains(links, l => l.StartsWith(ProjectUrl, StringComparison.Ordinal)); // Links to the docs.
        Assert.All(links, l => Assert.True(l.StartsWith("https://", StringComparison.Ordinal), $"{id}: the README links to '{l}', which is not absolute"));
    }

    /// <summary>Writes an app (project file and Program.cs) whose package source is the feed; returns its folder.</summary>
    public async Task<string> CreateAppAsync(string name, string projectFile, string program)
    {
        var app = Path.Combine(_root, name);
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, name + ".csproj"), projectFile);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    public static Process Start(string file, string arguments, string directory, StringBuilder? output = null)
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

    /// <summary>Runs a command to its end (at most 5 minutes); fails the test with its output unless it exits with 0.</summary>
    public static async Task<string> RunAsync(string file, string arguments, string directory)
    {
        var output = new StringBuilder();
        using var process = Start(file, arguments, directory, output);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit(); // Drains the redirected output.
        Assert.True(process.ExitCode == 0, $"'{file} {arguments}' failed with exit code {process.ExitCode}:{Environment.NewLine}{output}");
        lock (output)
        {
            return output.ToString();
        }
    }

    // Markdown inline links and images ](target), reference definitions [name]: target, and HTML href/src attributes.
    [GeneratedRegex("""\]\(\s*<?(?<target>[^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(?<target>[^\s>]+)|\b(?:href|src)\s*=\s*["']?(?<target>[^"'\s>]*)""", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex LinkTarget();

    private static void Append(StringBuilder? output, string? line)
    {
        if (output is not null && line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
