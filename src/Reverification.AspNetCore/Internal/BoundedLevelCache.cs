using System.Collections.Concurrent;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// A cache of what is built once per level (the answer's body, its challenge header). An app has a few levels, but
/// inline levels can be created at run time (<c>ReverificationResults.Required(ReverificationLevel.Create(...))</c>),
/// so it keeps at most <see cref="MaxLevels"/>; past that, values are built and not kept.
/// </summary>
internal sealed class BoundedLevelCache<T>(Func<ReverificationLevel, T> create)
{
    internal const int MaxLevels = 256;

    private readonly ConcurrentDictionary<ReverificationLevel, T> _values = new();

    // Counted apart: ConcurrentDictionary.Count takes every lock of the dictionary.
    private int _count;

    internal int Count => Volatile.Read(ref _count);

    public T Get(ReverificationLevel level)
    {
        if (_values.TryGetValue(level, out var value))
        {
            return value;
        }

        value = create(level);
        if (Volatile.Read(ref _count) < MaxLevels && _values.TryAdd(level, value))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }
}
