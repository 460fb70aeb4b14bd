using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reverification.Shared;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// One-time approvals: consuming one on the retry, issuing one with the answer, approving one after a verification.
/// Every store call that fails (throws) fails closed.
/// </summary>
internal sealed class ApprovalService(
    IReverificationApprovalStore store,
    ReverificationService reverification,
    IOptions<ReverificationOptions> options,
    TimeProvider timeProvider,
    ApprovalMetrics metrics,
    ILogger<ApprovalService> logger)
{
    /// <summary>The most of an app's summary that is sent.</summary>
    public const int MaxSummaryLength = ReverificationProtocol.Approval.MaxSummaryLength;

    private readonly ReverificationOptions _options = options.Value;
    private readonly ILogger _logger = logger;

    public ReverificationOptions Options => _options;

    /// <summary>
    /// The retry: passes when the request carries the id of an approved, unexpired, unused approval of the same subject
    /// and digest, whose factors cover the level's; consumes it atomically.
    /// </summary>
    public async ValueTask<(bool Passed, ApprovalProblem Problem, string? Detail)> TryConsumeAsync(
        HttpContext context, string subject, ApprovalRequirement requirement, ReverificationLevel level)
    {
        var headers = context.Request.Headers[ReverificationProtocol.Approval.Header];
        if (headers.Count == 0)
        {
            return (false, ApprovalProblem.None, null);
        }

        var path = context.Request.Path.Value;
        var id = headers.Count == 1 ? headers[0] : null;
        if (!ApprovalIds.IsWellFormed(id))
        {
            Refuse(ApprovalRefusal.Malformed, id, path);
            return (false, ApprovalProblem.None, null);
        }

        var digest = await ApprovalRequestDigest.GetAsync(context, requirement.Settings, _options.ApprovalMaxBodyBytes).ConfigureAwait(false);
        if (digest.Problem != ApprovalProblem.None)
        {
            return (false, digest.Problem, digest.ProblemDetail);
        }

        ReverificationApproval? approval;
        try
        {
            approval = await store.ConsumeAsync(id!, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            StoreFailed(ex, "consume");
            return (false, ApprovalProblem.StoreUnavailable, null);
        }

        if (approval is null || !approval.IsApproved || approval.ExpiresAt <= timeProvider.GetUtcNow())
        {
            Refuse(ApprovalRefusal.NotFound, id, path);
            return (false, ApprovalProblem.None, null);
        }

        // Consumed now, whatever follows: an approval presented with another user's token or another body is burnt.
        if (!string.Equals(approval.Subject, subject, StringComparison.Ordinal))
        {
            Refuse(ApprovalRefusal.OtherUser, id, path);
            return (false, ApprovalProblem.None, null);
        }

        if (approval.Digest.Length != ApprovalRequestDigest.DigestLength
            || !CryptographicOperations.FixedTimeEquals(approval.Digest.Span, digest.Digest))
        {
            Refuse(ApprovalRefusal.Changed, id, path);
            return (false, ApprovalProblem.None, null);
        }

        if ((approval.Factors & level.Factors) != level.Factors)
        {
            Refuse(ApprovalRefusal.InsufficientFactors, id, path);
            return (false, ApprovalProblem.None, null);
        }

        metrics.Consumed();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var prefix = ApprovalIds.Prefix(id);
            var levelName = ReverificationMetrics.LevelTagValue(level);
            ApprovalLog.Consumed(_logger, prefix, levelName, path);
        }

        return (true, ApprovalProblem.None, null);
    }

    /// <summary>Issues a new pending approval for this request, for the answer.</summary>
    public async ValueTask<(ReverificationApproval? Approval, ApprovalProblem Problem, string? Detail)> IssueAsync(
        HttpContext context, ApprovalRequirement requirement, ReverificationLevel level)
    {
        var path = context.Request.Path.Value;
        if (SubjectOf(context.User) is not { } subject)
        {
            ApprovalLog.NoSubject(_logger, path);
            return (null, ApprovalProblem.NoSubject, null);
        }

        var digest = await ApprovalRequestDigest.GetAsync(context, requirement.Settings, _options.ApprovalMaxBodyBytes).ConfigureAwait(false);
        if (digest.Problem != ApprovalProblem.None)
        {
            metrics.Refused(digest.Problem == ApprovalProblem.BodyTooLarge ? ApprovalRefusal.BodyTooLarge : ApprovalRefusal.InvalidBody);
            ApprovalLog.RequestRefused(_logger, path, digest.ProblemDetail ?? string.Empty);
            return (null, digest.Problem, digest.ProblemDetail);
        }

        string? summary;
        if (requirement.Settings.SummaryFactory is { } factory)
        {
            // A computed summary that cannot describe this request would have the user approve blind: refuse it.
            summary = factory(new ApprovalSummaryContext(context, digest.Fields));
            if (string.IsNullOrWhiteSpace(summary))
            {
                const string Detail = "This request cannot be approved: the endpoint's summary cannot describe it (a bound field missing or of an unexpected kind?).";
                metrics.Refused(ApprovalRefusal.InvalidBody);
                ApprovalLog.RequestRefused(_logger, path, Detail);
                return (null, ApprovalProblem.InvalidBody, Detail);
            }
        }
        else
        {
            summary = requirement.Settings.Summary;
        }

        if (summary is { Length: > MaxSummaryLength })
        {
            summary = summary[..MaxSummaryLength];
        }

        var approval = new ReverificationApproval
        {
            Id = ApprovalIds.Create(),
            Subject = subject,
            Digest = digest.Digest,
            Factors = level.Factors,
            ExpiresAt = timeProvider.GetUtcNow() + _options.ApprovalLifetime,
            Summary = summary,
        };

        try
        {
            await store.AddAsync(approval, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            StoreFailed(ex, "add");
            return (null, ApprovalProblem.StoreUnavailable, null);
        }

        metrics.Issued();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var prefix = ApprovalIds.Prefix(approval.Id);
            var levelName = ReverificationMetrics.LevelTagValue(level);
            ApprovalLog.Issued(_logger, prefix, levelName, path, ExpiresInSeconds);
        }

        return (approval, ApprovalProblem.None, null);
    }

    /// <summary>The approval's lifetime in whole seconds, as the answer states it.</summary>
    public long ExpiresInSeconds => (long)Math.Floor(_options.ApprovalLifetime.TotalSeconds);

    /// <summary>
    /// Approves a pending approval of <paramref name="user"/> after the app verified <paramref name="verified"/> just now.
    /// </summary>
    /// <remarks>
    /// The verification must cover the level's factors. The main factor must be among those verified now: the second
    /// for <c>second_factor</c> and <c>multi_factor</c> levels (the first when the principal records no second factor,
    /// the contract's fallback), the first for <c>first_factor</c>. For <c>multi_factor</c>, the other factor counts
    /// when it was verified now or after the approval was issued (a password, then a code, within its lifetime).
    /// </remarks>
    public async Task<ReverificationApprovalResult> ApproveAsync(ClaimsPrincipal user, string approvalId, ReverificationFactors verified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ReverificationLevel.ValidateFactors(verified, nameof(verified));
        if (!ApprovalIds.IsWellFormed(approvalId) || SubjectOf(user) is not { } subject)
        {
            return NotApproved(ApprovalRefusal.Malformed, approvalId, ReverificationApprovalResult.NotFound);
        }

        var (approval, found) = await FindPendingAsync(approvalId, subject, cancellationToken).ConfigureAwait(false);
        switch (found)
        {
            case ReverificationApprovalResult.StoreUnavailable:
                return found;
            case ReverificationApprovalResult.OtherUser:
                return NotApproved(ApprovalRefusal.OtherUser, approvalId, found);
            case not ReverificationApprovalResult.Approved:
                return NotApproved(ApprovalRefusal.NotFound, approvalId, ReverificationApprovalResult.NotFound);
        }

        if (!Satisfies(approval!, verified, reverification.ReadTimes(user, timeProvider.GetUtcNow()), approval!.ExpiresAt - _options.ApprovalLifetime))
        {
            return NotApproved(ApprovalRefusal.InsufficientFactors, approvalId, ReverificationApprovalResult.InsufficientFactors);
        }

        bool approved;
        try
        {
            approved = await store.ApproveAsync(approvalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StoreFailed(ex, "approve");
            return ReverificationApprovalResult.StoreUnavailable;
        }

        if (!approved)
        {
            return NotApproved(ApprovalRefusal.NotFound, approvalId, ReverificationApprovalResult.NotFound);
        }

        metrics.Approved();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var prefix = ApprovalIds.Prefix(approvalId);
            var factors = ReverificationLevel.FactorsToString(verified);
            ApprovalLog.Approved(_logger, prefix, factors);
        }
        return ReverificationApprovalResult.Approved;
    }

    /// <summary>
    /// Before a verification is attempted with an approval id: whether a pending approval of <paramref name="user"/>
    /// has this id, so that a code is not spent on an id that cannot be approved. Counts nothing.
    /// </summary>
    public async Task<ReverificationApprovalResult> CheckAsync(ClaimsPrincipal user, string approvalId, CancellationToken cancellationToken)
    {
        if (!ApprovalIds.IsWellFormed(approvalId) || SubjectOf(user) is not { } subject)
        {
            return ReverificationApprovalResult.NotFound;
        }

        return (await FindPendingAsync(approvalId, subject, cancellationToken).ConfigureAwait(false)).Result;
    }

    /// <summary>
    /// The pending, unexpired approval with this id, and whether it is <paramref name="subject"/>'s: <c>Approved</c>
    /// (it is), <c>OtherUser</c>, <c>NotFound</c> (unknown, approved already or expired) or <c>StoreUnavailable</c>.
    /// </summary>
    private async Task<(ReverificationApproval? Approval, ReverificationApprovalResult Result)> FindPendingAsync(string approvalId, string subject, CancellationToken cancellationToken)
    {
        ReverificationApproval? approval;
        try
        {
            approval = await store.FindAsync(approvalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StoreFailed(ex, "find");
            return (null, ReverificationApprovalResult.StoreUnavailable);
        }

        return approval is null || approval.IsApproved || approval.ExpiresAt <= timeProvider.GetUtcNow() ? (null, ReverificationApprovalResult.NotFound)
            : !string.Equals(approval.Subject, subject, StringComparison.Ordinal) ? (null, ReverificationApprovalResult.OtherUser)
            : (approval, ReverificationApprovalResult.Approved);
    }

    internal static bool Satisfies(ReverificationApproval approval, ReverificationFactors verified, in VerificationTimes times, DateTimeOffset issuedAt)
    {
        var required = approval.Factors;
        if (required == ReverificationFactors.FirstFactor)
        {
            return (verified & ReverificationFactors.FirstFactor) != 0;
        }

        // Only well-formed data that records "never" for the second factor says the user has none; anything else
        // (missing, malformed) is read as "has one", so the second factor is asked for.
        var hasSecondFactor = (verified & ReverificationFactors.SecondFactor) != 0
            || times.Status != VerificationClaimsStatus.Found
            || times.SecondFactorVerifiedAt is not null;
        if (!hasSecondFactor)
        {
            return (verified & ReverificationFactors.FirstFactor) != 0;
        }

        if ((verified & ReverificationFactors.SecondFactor) == 0)
        {
            return false;
        }

        if (required == ReverificationFactors.SecondFactor || (verified & ReverificationFactors.FirstFactor) != 0)
        {
            return true;
        }

        // multi_factor, second factor now: the first must have been verified since the approval was issued.
        return times.Status == VerificationClaimsStatus.Found && times.FirstFactorVerifiedAt is { } first && first >= issuedAt;
    }

    /// <summary>The caller's one subject: <c>sub</c> or name identifier, the same on every authenticated identity that has one.</summary>
    public static string? SubjectOf(ClaimsPrincipal user)
    {
        string? subject = null;
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated || ReverificationService.SubjectOf(identity) is not { } candidate)
            {
                continue;
            }

            if (subject is not null && !string.Equals(subject, candidate, StringComparison.Ordinal))
            {
                return null;
            }

            subject = candidate;
        }

        return string.IsNullOrEmpty(subject) ? null : subject;
    }

    private void Refuse(ApprovalRefusal reason, string? id, string? path)
    {
        metrics.Refused(reason);
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ApprovalLog.Refused(_logger, ApprovalIds.IsWellFormed(id) ? ApprovalIds.Prefix(id) : "(malformed)", ApprovalMetrics.ReasonName(reason), path);
        }
    }

    private ReverificationApprovalResult NotApproved(ApprovalRefusal reason, string? id, ReverificationApprovalResult result)
    {
        metrics.Refused(reason);
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ApprovalLog.NotApproved(_logger, ApprovalIds.IsWellFormed(id) ? ApprovalIds.Prefix(id) : "(malformed)", ApprovalMetrics.ReasonName(reason));
        }
        return result;
    }

    private void StoreFailed(Exception ex, string operation)
    {
        metrics.Refused(ApprovalRefusal.StoreUnavailable);
        if (!_logger.IsEnabled(LogLevel.Error))
        {
            return;
        }

        ApprovalLog.StoreUnavailable(_logger, ex, store.GetType().Name, ex.GetType().Name, operation);
    }
}
