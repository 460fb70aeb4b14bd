using System.Collections.Concurrent;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The default store: one process's memory, for apps with one instance. Bounded (<see cref="Capacity"/> live
/// approvals; expired ones are swept when it fills and once a minute), expiring by the app's <see cref="TimeProvider"/>,
/// approve and consume atomic through a compare-and-swap of the entry's state.
/// </summary>
internal sealed class InMemoryApprovalStore(TimeProvider timeProvider) : IReverificationApprovalStore
{
    public const int Capacity = 100_000;

    private const int Pending = 0;
    private const int Approved = 1;
    private const int Consumed = 2;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _nextSweep;

    public int Count => _entries.Count;

    public ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var now = timeProvider.GetUtcNow();
        if (_entries.Count >= Capacity || now.UtcTicks >= Interlocked.Read(ref _nextSweep))
        {
            Sweep(now);
        }

        if (_entries.Count >= Capacity)
        {
            throw new InvalidOperationException($"The in-memory approval store holds {Capacity} unexpired approvals; refusing more. Use a shared store (Reverification.Redis) or a shorter ApprovalLifetime.");
        }

        if (!_entries.TryAdd(approval.Id, new Entry(approval)))
        {
            throw new InvalidOperationException("An approval with this id already exists.");
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
            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            return new(entry.ApprovedCopy);
        }

        return new((ReverificationApproval?)null);
    }

    private bool IsExpired(Entry entry) => timeProvider.GetUtcNow() >= entry.Approval.ExpiresAt;

    private void Sweep(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _nextSweep, now.AddMinutes(1).UtcTicks);
        foreach (var pair in _entries)
        {
            if (now >= pair.Value.Approval.ExpiresAt || pair.Value.State == Consumed)
            {
                _entries.TryRemove(pair);
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
