using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reverification.Identity.Internal;

/// <summary>
/// The package's metric, on the meter <c>Reverification.Identity</c> (through <see cref="IMeterFactory"/>):
/// <c>reverification.identity.attempts</c>, a counter of verification attempts tagged with
/// <c>reverification.method</c> (<c>password</c>, <c>authenticator</c>, <c>recovery_code</c>, <c>passkey</c>) and
/// <c>reverification.result</c> (<c>verified</c>, <c>wrong</c>, <c>locked_out</c>, <c>replayed</c>,
/// <c>rate_limited</c>). Bad input (an empty or oversized field, malformed JSON) is answered before it is an attempt
/// and is not counted.
/// </summary>
internal sealed class IdentityReverificationMetrics
{
    public const string MeterName = "Reverification.Identity";
    public const string AttemptsName = "reverification.identity.attempts";
    public const string MethodTag = "reverification.method";
    public const string ResultTag = "reverification.result";

    private readonly Counter<long> _attempts;

    public IdentityReverificationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _attempts = meterFactory.Create(MeterName).CreateCounter<long>(
            AttemptsName,
            unit: "{attempt}",
            description: "Reverification attempts through ASP.NET Core Identity, by method and result.");
    }

    public void Attempted(VerificationMethod method, AttemptResult result)
    {
        if (!_attempts.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { MethodTag, IdentityReverificationNames.Of(method) },
            { ResultTag, IdentityReverificationNames.Of(result) },
        };
        _attempts.Add(1, in tags);
    }
}
