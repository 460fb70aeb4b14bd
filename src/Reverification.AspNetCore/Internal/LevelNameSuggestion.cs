namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The known level name an unknown one was probably meant to be, for "did you mean" in configuration errors: the same
/// name in another case first, then the closest name within a small edit distance.
/// </summary>
internal static class LevelNameSuggestion
{
    /// <summary>At most this many edits, and at most one per three characters of the unknown name (at least one).</summary>
    internal const int MaxDistance = 2;

    /// <summary>
    /// The suggestion for <paramref name="name"/> among <paramref name="known"/>, or <see langword="null"/> when no
    /// name is close. Among equally close names the first in <paramref name="known"/> wins.
    /// </summary>
    public static string? Find(string name, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);

        var candidates = known as IReadOnlyCollection<string> ?? [.. known];
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        var limit = Math.Min(MaxDistance, Math.Max(1, name.Length / 3));
        string? best = null;
        var bestDistance = limit + 1;
        foreach (var candidate in candidates)
        {
            // The length difference is a lower bound of the distance: skip without computing it.
            if (Math.Abs(candidate.Length - name.Length) >= bestDistance)
            {
                continue;
            }

            var distance = Distance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// The optimal string alignment distance (Damerau-Levenshtein where no substring is edited twice), ignoring ASCII
    /// case: insertions, deletions, substitutions and transpositions of two adjacent characters, one edit each.
    /// </summary>
    internal static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // Three rows of the (a.Length + 1) x (b.Length + 1) matrix: two before the current one, for transpositions.
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    private static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
}
