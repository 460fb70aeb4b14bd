namespace Reverification.AspNetCore;

/// <summary>
/// Keeps one-time approvals. The default keeps them in memory (one instance); <c>Reverification.Redis</c> keeps them in
/// Redis for apps with several instances. Register another with
/// <c>services.AddSingleton&lt;IReverificationApprovalStore, MyStore&gt;()</c>.
/// </summary>
/// <remarks>
/// Every method is called concurrently. <see cref="ApproveAsync"/> and <see cref="ConsumeAsync"/> must each be atomic:
/// of many concurrent consumes of one approved approval, exactly one returns it. Expired approvals are never returned.
/// A store that cannot be reached throws; the endpoint then fails closed (503) and nothing passes.
/// </remarks>
public interface IReverificationApprovalStore
{
    /// <summary>Adds a pending approval; it expires at <see cref="ReverificationApproval.ExpiresAt"/>.</summary>
    /// <param name="approval">The approval, not approved.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the approval is stored.</returns>
    ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken);

    /// <summary>Finds an unexpired approval, pending or approved.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval, or <see langword="null"/> when it is unknown, expired or consumed.</returns>
    ValueTask<ReverificationApproval?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks a pending, unexpired approval approved, atomically.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was pending and is now approved.</returns>
    ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes an approved, unexpired approval and returns it, atomically; a pending one stays.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval, or <see langword="null"/> when it is unknown, expired, pending or already consumed.</returns>
    ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken);
}
