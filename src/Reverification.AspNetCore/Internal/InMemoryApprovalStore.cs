using System.Collections.Concurrent;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The default store: one process's memory, for apps with one instance. Bounded (<see cref="Capacity"/> live
/// approvals; expired ones are swept once a minute, and when it is full at most once a second), at most
/// <see cref="PerSubjectLimit"/> per subject (a new one evicts that subject's oldest, so one account cannot fill the
/// store for everyone), expiring by the app's <see cref="TimeProvider"/>, approve and consume atomic through a
/// compare-and-swap of the entry's state.
/// </summary>
/// <param name="timeProvider">The app's clock.</param>
/// <param name="capacity">The most unexpired approvals held (the load test raises it).</param>
/// <param name="perSubjectLimit">The most one subject holds (the load test, one subject, raises it).</param>
internal sealed class InMemoryApprovalStore(TimeProvider timeProvider, int capacity = InMemoryApprovalStore.Capacity, int perSubjectLimit = InMemoryApprovalStore.PerSubjectLimit) : IReverificationApprovalStore
{
    public const int Capacity = 100_000;

    /// <summary>Unexpired approvals one subject can hold; a user approves one operation at a time.</summary>
    public const int PerSubjectLimit = 16;

    private const int Pending = 0;
    private const int Approved = 1;
    private const int Consumed = 2;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Each subject's ids, oldest first; locked per queue. Ids of approvals consumed or swept since are skipped.
    private readonly ConcurrentDictionary<string, Queue<string>> _bySubject = new(StringComparer.Ordinal);
    private long _nextSweep;
    private long _nextFullSweep;

    // ConcurrentDictionary.Count takes every lock of the dictionary: the store keeps its own count instead.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var now = timeProvider.GetUtcNow();
        if (now.UtcTicks >= Interlocked.Read(ref _nextSweep)
            || (Count >= capacity && now.UtcTicks >= Interlocked.Read(ref _nextFullSweep)))
        {
            Sweep(now);
        }

        if (Count >= capacity)
        {
            throw new InvalidOperationException($"The in-memory approval store holds {capacity} unexpired approvals; refusing more. Use a shared store (Reverification.Redis) or a shorter ApprovalLifetime.");
        }

        if (!_entries.TryAdd(approval.Id, new Entry(approval)))
        {
            throw new InvalidOperationException("An approval with this id already exists.");
        }

        Interlocked.Increment(ref _count);
        var queue = _bySubject.GetOrAdd(approval.Subject, static _ => new Queue<string>());
        lock (queue)
        {
            queue.Enqueue(approval.Id);
            while (queue.Count > perSubjectLimit)
            {
                if (_entries.TryRemove(queue.Dequeue(), out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ReverificationApproval?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(id, out var entry) && entry.State != Consumed && !IsExpired(entry))
        {
            return new(entry.State == Approved ? entry.ApprovedCopy : entry.Approval);
        }

        return new((ReverificationApproval?)null);
    }

    public ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken)
        => new(_entries.TryGetValue(id, out var entry)
            && !IsExpired(entry)
            && Interlocked.CompareExchange(ref entry.State, Approved, Pending) == Pending);

    public ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(id, out var entry)
            && !IsExpired(entry)
            && Interlocked.CompareExchange(ref entry.State, Consumed, Approved) == Approved)
        {
            if (_entries.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
            {
                Interlocked.Decrement(ref _count);
            }

            return new(entry.ApprovedCopy);
        }

        return new((ReverificationApproval?)null);
    }

    private bool IsExpired(Entry entry) => timeProvider.GetUtcNow() >= entry.Approval.ExpiresAt;

    private void Sweep(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _nextSweep, now.AddMinutes(1).UtcTicks);
        Interlocked.Exchange(ref _nextFullSweep, now.AddSeconds(1).UtcTicks);
        foreach (var pair in _entries)
        {
            if (now >= pair.Value.Approval.ExpiresAt || pair.Value.State == Consumed)
            {
                if (_entries.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }

        foreach (var pair in _bySubject)
        {
            var queue = pair.Value;
            lock (queue)
            {
                while (queue.TryPeek(out var id) && !_entries.ContainsKey(id))
                {
                    queue.Dequeue();
                }

                if (queue.Count == 0)
                {
                    // A concurrent AddAsync that already holds this queue adds to an orphan: its approval still
                    // expires and is swept; only the per-subject count misses it.
                    _bySubject.TryRemove(pair);
                }
            }
        }
    }

    private sealed class Entry(ReverificationApproval approval)
    {
        public int State = Pending;

        public ReverificationApproval Approval { get; } = approval;

        private ReverificationApproval? _approvedCopy;

        public ReverificationApproval ApprovedCopy => _approvedCopy ??= new ReverificationApproval
        {
            Id = Approval.Id,
            Subject = Approval.Subject,
            Digest = Approval.Digest,
            Factors = Approval.Factors,
            ExpiresAt = Approval.ExpiresAt,
            Summary = Approval.Summary,
            IsApproved = true,
        };
    }
}
