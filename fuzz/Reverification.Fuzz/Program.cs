using System.Diagnostics;
using System.Globalization;
using Reverification.Fuzz;
using SharpFuzz;

// Fuzzing harness for the claim readers. See fuzz/run.sh.
//   Reverification.Fuzz <target>                  under afl-fuzz (SharpFuzz, persistent mode)
//   Reverification.Fuzz <target> --replay <dir>    run every file of a directory (crashes, queue) and report
//   Reverification.Fuzz <target> --mutate <seconds> <seed dir>   in-process random mutation, no AFL needed
//   Reverification.Fuzz <target> --export-corpus <dir> <out.json> <max>   refused inputs as corpus entries
// <target>: timestamps | fva | oidc | supabase
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: Reverification.Fuzz <{string.Join('|', Target.Names)}> [--replay <dir> | --mutate <seconds> <seed dir>]");
    return 2;
}

if (args.Length == 1)
{
    // Under afl-fuzz. Nothing of the instrumented library may run before Fuzzer.Run has mapped AFL's shared
    // memory (instrumented code writes to it), so the reader is created inside the first iteration.
    Target? fuzzed = null;
    Fuzzer.Run(stream =>
    {
        fuzzed ??= Target.Create(args[0]);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        fuzzed.Check(buffer.ToArray());
    });
    return 0;
}

var target = Target.Create(args[0]);
if (args.Length >= 3 && args[1] == "--replay")
{
    var failures = 0;
    var files = Directory.GetFiles(args[2]).Where(static f => !f.EndsWith("README.txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        try
        {
            target.Check(File.ReadAllBytes(file));
        }
#pragma warning disable CA1031 // Report every failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failures++;
            Console.WriteLine($"{Path.GetFileName(file)}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    Console.WriteLine($"{target.Name}: replayed {files.Count} inputs, {failures} failures");
    return failures == 0 ? 0 : 1;
}

if (args.Length >= 5 && args[1] == "--export-corpus")
{
    // Inputs the reader refuses (AFL's queue: each one reached new code) become adversarial corpus entries.
    var limit = int.Parse(args[4], CultureInfo.InvariantCulture);
    var entries = Export.MalformedEntries(target, args[2], limit);
    File.WriteAllText(args[3], entries);
    Console.WriteLine($"{target.Name}: exported to {args[3]}");
    return 0;
}

if (args.Length >= 4 && args[1] == "--mutate")
{
    var seconds = int.Parse(args[2], CultureInfo.InvariantCulture);
    var result = Mutator.Run(target, Directory.GetFiles(args[3]).Select(File.ReadAllBytes).ToList(), TimeSpan.FromSeconds(seconds), Stopwatch.StartNew());
    Console.WriteLine($"{target.Name}: {result.Executions:N0} executions in {seconds} s, {result.Failures.Count} distinct failures");
    foreach (var failure in result.Failures.Take(20))
    {
        Console.WriteLine(failure);
    }

    return result.Failures.Count == 0 ? 0 : 1;
}

Console.Error.WriteLine("unknown arguments");
return 2;
