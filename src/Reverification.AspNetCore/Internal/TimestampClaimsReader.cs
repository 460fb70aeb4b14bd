using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The library's own format: one claim per factor with the Unix time (seconds) of its last verification.
/// A missing claim is "never"; a duplicated or unparsable one is malformed.
/// </summary>
internal sealed class TimestampClaimsReader(string firstFactorClaimType, string secondFactorClaimType) : IVerificationClaimsReader
{
    public VerificationTimes Read(ClaimsPrincipal principal)
    {
        var visitor = new Visitor(firstFactorClaimType, secondFactorClaimType);
        if (!ClaimsWalker.Walk(principal, ref visitor) || (visitor.FirstCount == 0 && visitor.SecondCount == 0))
        {
            return VerificationTimes.Missing;
        }

        if (visitor.FirstCount > 1 || visitor.SecondCount > 1)
        {
            return VerificationTimes.Malformed;
        }

        DateTimeOffset? first = null, second = null;
        if (visitor.First is not null)
        {
            if (!ClaimValueParser.TryParseUnixSeconds(visitor.First.AsSpan(), out var seconds))
            {
                return VerificationTimes.Malformed;
            }

            first = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (visitor.Second is not null)
        {
            if (!ClaimValueParser.TryParseUnixSeconds(visitor.Second.AsSpan(), out var seconds))
            {
                return VerificationTimes.Malformed;
            }

            second = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return VerificationTimes.Found(first, second);
    }

    private struct Visitor(string firstType, string secondType) : IClaimVisitor
    {
        public string? First;
        public string? Second;
        public int FirstCount;
        public int SecondCount;

        public bool Visit(Claim claim)
        {
            var type = claim.Type;
            if (string.Equals(type, firstType, StringComparison.Ordinal))
            {
                First = claim.Value;
                FirstCount++;
            }
            else if (string.Equals(type, secondType, StringComparison.Ordinal))
            {
                Second = claim.Value;
                SecondCount++;
            }

            return true;
        }
    }
}
