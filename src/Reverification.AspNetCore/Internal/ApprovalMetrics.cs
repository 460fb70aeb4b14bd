using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// <c>reverification.approvals</c> on the meter <c>Reverification.AspNetCore</c>: a counter of approval events, tagged
/// <c>reverification.approval.event</c> (<c>issued</c>, <c>approved</c>, <c>consumed</c>, <c>refused</c>) and, for
/// refusals, <c>reverification.approval.reason</c> (a fixed set, see <see cref="ApprovalRefusal"/>).
/// </summary>
internal sealed class ApprovalMetrics
{
    public const string ApprovalsName = "reverification.approvals";
    public const string EventTag = "reverification.approval.event";
    public const string ReasonTag = "reverification.approval.reason";

    private readonly Counter<long> _approvals;

    public ApprovalMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _approvals = meterFactory.Create(ReverificationMetrics.MeterName).CreateCounter<long>(
            ApprovalsName,
            unit: "{approval}",
            description: "One-time approvals issued, approved, consumed and refused (by reason).");
    }

    public void Issued() => Add("issued", null);

    public void Approved() => Add("approved", null);

    public void Consumed() => Add("consumed", null);

    public void Refused(ApprovalRefusal reason) => Add("refused", ReasonName(reason));

    private void Add(string name, string? reason)
    {
        if (!_approvals.Enabled)
        {
            return;
        }

        var tags = new TagList { { EventTag, name } };
        if (reason is not null)
        {
            tags.Add(ReasonTag, reason);
        }

        _approvals.Add(1, in tags);
    }

    internal static string ReasonName(ApprovalRefusal reason) => reason switch
    {
        ApprovalRefusal.Malformed => "malformed",
        ApprovalRefusal.NotFound => "not_found",
        ApprovalRefusal.OtherUser => "other_user",
        ApprovalRefusal.Changed => "changed",
        ApprovalRefusal.InsufficientFactors => "insufficient_factors",
        ApprovalRefusal.StoreUnavailable => "store_unavailable",
        ApprovalRefusal.BodyTooLarge => "body_too_large",
        ApprovalRefusal.InvalidBody => "invalid_body",
        _ => "other",
    };
}
