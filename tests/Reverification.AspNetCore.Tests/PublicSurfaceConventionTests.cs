using System.Reflection;
using System.Text.RegularExpressions;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// The packages' conventions (as Duende's access-token-management checks its own): internal types stay internal,
/// public types are sealed or static, public types sit at the project root, and each source file holds one type.
/// </summary>
public partial class PublicSurfaceConventionTests
{
    public static TheoryData<string> Packages() => ["Reverification.AspNetCore", "Reverification.Client", "Reverification.Blazor", "Reverification.Identity", "Reverification.Redis", "Reverification.Blazor.Server"];

    private static Assembly Load(string name) => name switch
    {
        "Reverification.AspNetCore" => typeof(ReverificationOptions).Assembly,
        "Reverification.Client" => typeof(Reverification.Client.ReverificationHandler).Assembly,
        "Reverification.Blazor" => typeof(Reverification.Blazor.ReverificationDialog).Assembly,
        "Reverification.Identity" => typeof(Reverification.Identity.IdentityReverificationOptions).Assembly,
        "Reverification.Blazor.Server" => typeof(Reverification.Blazor.Server.ReverificationRunner).Assembly,
        "Reverification.Redis" => typeof(Reverification.Redis.RedisApprovalStoreOptions).Assembly,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void TypesInInternalNamespaces_AreNotPublic(string package)
    {
        var leaked = Load(package).GetExportedTypes().Where(static t => t.Namespace?.EndsWith(".Internal", StringComparison.Ordinal) == true).Select(static t => t.FullName).ToList();
        Assert.Empty(leaked);
    }

    /// <summary>
    /// The documented exceptions to "sealed": ReverificationSignInManager replaces Identity's SignInManager, and an app
    /// with its own sign-in manager derives from it (its remarks and docs/identity.md say so; the start-up check
    /// refuses any other SignInManager).
    /// </summary>
    private static readonly HashSet<Type> MeantToBeDerived = [typeof(Reverification.Identity.ReverificationSignInManager<>)];

    [Theory]
    [MemberData(nameof(Packages))]
    public void PublicClasses_AreSealedOrStatic(string package)
    {
        // A static class is abstract and sealed; a Razor component may stay unsealed only if it is meant to be derived.
        var open = Load(package).GetExportedTypes()
            .Where(static t => t.IsClass && !t.IsSealed && !typeof(Delegate).IsAssignableFrom(t) && !MeantToBeDerived.Contains(t))
            .Select(static t => t.FullName)
            .ToList();
        Assert.Empty(open);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PublicTypes_LiveInThePackageNamespaceOrAFrameworkExtensionNamespace(string package)
    {
        string[] allowed = [package, "Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Authorization"];
        var misplaced = Load(package).GetExportedTypes().Where(t => !allowed.Contains(t.Namespace)).Select(static t => t.FullName).ToList();
        Assert.Empty(misplaced);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void SourceFiles_HoldOneTopLevelTypeNamedAfterTheFile(string package)
    {
        var directory = Path.Combine(RepositoryRoot(), "src", package);
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            // File-scoped namespaces: a top-level type is declared at the start of a line.
            var types = TopLevelType().Matches(File.ReadAllText(file)).Select(static m => m.Groups["name"].Value).ToList();
            var expected = Path.GetFileName(file).Split('.')[0];
            if (types.Count != 1 || types[0] != expected)
            {
                problems.Add($"{Path.GetRelativePath(directory, file)}: {(types.Count == 0 ? "no type" : string.Join(", ", types))}");
            }
        }

        Assert.Empty(problems);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reverification.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Reverification.sln not found above the test's output folder.");
    }

    [GeneratedRegex(@"^(?:public|internal|file)\s+(?:(?:sealed|static|abstract|readonly|partial|ref|unsafe)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?|delegate\s+\S+)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}
