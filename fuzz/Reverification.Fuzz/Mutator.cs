using System.Diagnostics;
using System.Text;

namespace Reverification.Fuzz;

/// <summary>
/// A bounded, in-process random mutation loop (no coverage feedback): byte flips, insertions of interesting tokens,
/// splices and duplications of lines, starting from the seeds. The fallback when AFL++ is not available.
/// </summary>
internal static class Mutator
{
    private static readonly string[] s_tokens =
    [
        "-", "+", "-0", "-1", ".", "e", "E", "e+9", "0", "00", "9999999999999999999", " ", "\t", "\\n", "\r", "\u00a0",
        "\u0660", "\uff10", "\u0966", "NaN", "Infinity", "null", "true", "[", "]", "{", "}", ",", ":", "\"", "\"method\"",
        "\"timestamp\"", "\"totp\"", "\"password\"", "\"mfa\"", "mfa", "otp", "253402300799", "253402300800", "1700000000",
    ];

    public sealed record Result(long Executions, IReadOnlyList<string> Failures);

    public static Result Run(Target target, List<byte[]> seeds, TimeSpan duration, Stopwatch clock)
    {
        var random = new Random(12345);
        var pool = new List<byte[]>(seeds);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        long executions = 0;
        while (clock.Elapsed < duration)
        {
            var input = Mutate(pool[random.Next(pool.Count)], pool[random.Next(pool.Count)], random);
            executions++;
            try
            {
                target.Check(input);
                if (pool.Count < 5000 && random.Next(100) == 0)
                {
                    pool.Add(input);
                }
            }
#pragma warning disable CA1031 // Every failure is a finding.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var key = ex.GetType().Name + ": " + ex.Message;
                failures.TryAdd(key, key + " <- input " + Convert.ToBase64String(input));
            }
        }

        return new Result(executions, [.. failures.Values]);
    }

    private static byte[] Mutate(byte[] a, byte[] b, Random random)
    {
        var text = new StringBuilder(Encoding.UTF8.GetString(a));
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var position = text.Length == 0 ? 0 : random.Next(text.Length + 1);
            switch (random.Next(6))
            {
                case 0:
                    text.Insert(position, s_tokens[random.Next(s_tokens.Length)]);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(Math.Min(position, text.Length - 1), 1 + random.Next(Math.Min(4, text.Length - Math.Min(position, text.Length - 1))));
                    break;
                case 2 when text.Length > 0:
                    text[Math.Min(position, text.Length - 1)] = (char)random.Next(32, 127);
                    break;
                case 3:
                    var other = Encoding.UTF8.GetString(b).Split('\n');
                    text.Append('\n').Append(other[random.Next(other.Length)]);
                    break;
                case 4:
                    var lines = text.ToString().Split('\n');
                    text.Append('\n').Append(lines[random.Next(lines.Length)]);
                    break;
                default:
                    text.Insert(position, (char)random.Next(0x30, 0x3A));
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
