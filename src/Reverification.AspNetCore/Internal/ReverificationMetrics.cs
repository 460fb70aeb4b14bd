using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The library's metrics, on the meter <c>Reverification.AspNetCore</c> (created through <see cref="IMeterFactory"/>):
/// <c>reverification.checks</c>, a counter of decisions tagged with <c>reverification.level</c> and
/// <c>reverification.outcome</c> (<c>passed</c>, <c>reverification_required</c>, <c>malformed_claims</c>).
/// </summary>
/// <remarks>
/// The level tag is the level's name, or its factors (<c>second_factor</c>, ...) for an inline level, so the tag's
/// cardinality is bounded by the app's levels. Recording allocates nothing: the tags are constant strings in a
/// <see cref="TagList"/>, and nothing is done while no listener has enabled the counter.
/// </remarks>
internal sealed class ReverificationMetrics
{
    public const string MeterName = "Reverification.AspNetCore";
    public const string ChecksName = "reverification.checks";
    public const string LevelTag = "reverification.level";
    public const string OutcomeTag = "reverification.outcome";

    private readonly Counter<long> _checks;

    public ReverificationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>(
            ChecksName,
            unit: "{check}",
            description: "Reverification decisions, by level and outcome.");
    }

    public void Checked(ReverificationLevel level, ReverificationOutcome outcome)
    {
        if (!_checks.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { LevelTag, LevelTagValue(level) },
            { OutcomeTag, OutcomeTagValue(outcome) },
        };
        _checks.Add(1, in tags);
    }

    internal static string LevelTagValue(ReverificationLevel level)
        => level.Name ?? ReverificationLevel.FactorsToString(level.Factors);

    internal static string OutcomeTagValue(ReverificationOutcome outcome) => outcome switch
    {
        ReverificationOutcome.Passed => "passed",
        ReverificationOutcome.ReverificationRequired => "reverification_required",
        ReverificationOutcome.MalformedClaims => "malformed_claims",
        _ => "unauthenticated",
    };
}
