using Microsoft.Extensions.Time.Testing;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests.Approvals;

public sealed class InMemoryApprovalStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AddAsync_OverThePerSubjectLimit_EvictsThatSubjectsOldest_OthersUntouched()
    {
        var store = new InMemoryApprovalStore(_time);
        var other = Approval("bob", 0);
        await store.AddAsync(other, default);

        var alice = Enumerable.Range(0, InMemoryApprovalStore.PerSubjectLimit + 4).Select(i => Approval("alice", i)).ToArray();
        foreach (var approval in alice)
        {
            await store.AddAsync(approval, default);
        }

        for (var i = 0; i < alice.Length; i++)
        {
            var found = await store.FindAsync(alice[i].Id, default);
            if (i < 4)
            {
                Assert.Null(found);
            }
            else
            {
                Assert.Equal(alice[i].Id, found?.Id);
            }
        }

        Assert.NotNull(await store.FindAsync(other.Id, default));
        Assert.Equal(InMemoryApprovalStore.PerSubjectLimit + 1, store.Count);
    }

    [Fact]
    public async Task AddAsync_ConsumedApprovals_DoNotCountAgainstTheSubject()
    {
        var store = new InMemoryApprovalStore(_time);
        var first = Approval("alice", 0);
        await store.AddAsync(first, default);
        Assert.True(await store.ApproveAsync(first.Id, default));
        Assert.NotNull(await store.ConsumeAsync(first.Id, default));

        var rest = Enumerable.Range(1, InMemoryApprovalStore.PerSubjectLimit).Select(i => Approval("alice", i)).ToArray();
        foreach (var approval in rest)
        {
            await store.AddAsync(approval, default);
        }

        foreach (var approval in rest)
        {
            Assert.NotNull(await store.FindAsync(approval.Id, default));
        }
    }

    [Fact]
    public async Task Sweep_ForgetsExpiredApprovals_AndEmptySubjects()
    {
        var store = new InMemoryApprovalStore(_time);
        await store.AddAsync(Approval("alice", 0), default);
        _time.Advance(TimeSpan.FromMinutes(6));

        // The next add sweeps (a minute passed): alice's expired approval is gone; a new subject starts afresh.
        var next = Approval("carol", 1);
        await store.AddAsync(next, default);
        Assert.Equal(1, store.Count);
        Assert.NotNull(await store.FindAsync(next.Id, default));
    }

    [Fact]
    public async Task Capacity_CountsWhatConsumesAndSweepsFreed()
    {
        var store = new InMemoryApprovalStore(_time, capacity: 2);
        var first = Approval("alice", 0);
        await store.AddAsync(first, default);
        await store.AddAsync(Approval("bob", 0), default);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AddAsync(Approval("carol", 0), default));

        // A consumed approval frees its place at once.
        Assert.True(await store.ApproveAsync(first.Id, default));
        Assert.NotNull(await store.ConsumeAsync(first.Id, default));
        Assert.Equal(1, store.Count);
        await store.AddAsync(Approval("carol", 1), default);
        Assert.Equal(2, store.Count);

        // Expired ones are swept when the store is full (at most once a second).
        _time.Advance(TimeSpan.FromMinutes(6));
        await store.AddAsync(Approval("dave", 0), default);
        Assert.Equal(1, store.Count);
    }

    private ReverificationApproval Approval(string subject, int n) => new()
    {
        Id = $"{subject}-{n}-0123456789abcdefghijklmnop",
        Subject = subject,
        Digest = new byte[32],
        Factors = ReverificationFactors.SecondFactor,
        ExpiresAt = _time.GetUtcNow().AddMinutes(5),
    };
}
