using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The library's own format: one claim per factor with the Unix time (seconds) of its last verification.
/// A missing claim is "never"; a duplicated or unparsable one is malformed.
/// </summary>
internal sealed class TimestampClaimsReader(string firstFactorClaimType, string secondFactorClaimType) : IVerificationClaimsReader
{
    public VerificationTimes Read(ClaimsIdentity identity)
    {
        var visitor = new Visitor(_firstType, _secondType);
        ClaimsWalker.Walk(identity, ref visitor);
        if (visitor.FirstCount == 0 && visitor.SecondCount == 0)
        {
            return VerificationTimes.Missing;
        }

        if (visitor.FirstCount > 1 || visitor.FirstWrongType)
        {
            return VerificationTimes.MalformedClaim(firstFactorClaimType);
        }

        if (visitor.SecondCount > 1 || visitor.SecondWrongType)
        {
            return VerificationTimes.MalformedClaim(secondFactorClaimType);
        }

        DateTimeOffset? first = null, second = null;
        if (visitor.First is not null)
        {
            if (!ClaimValueParser.TryParseUnixSeconds(visitor.First.AsSpan(), out var seconds))
            {
                return VerificationTimes.MalformedClaim(firstFactorClaimType);
            }

            first = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (visitor.Second is not null)
        {
            if (!ClaimValueParser.TryParseUnixSeconds(visitor.Second.AsSpan(), out var seconds))
            {
                return VerificationTimes.MalformedClaim(secondFactorClaimType);
            }

            second = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return VerificationTimes.Found(first, second);
    }

    private readonly ClaimType _firstType = new(firstFactorClaimType);
    private readonly ClaimType _secondType = new(secondFactorClaimType);

    private struct Visitor(ClaimType firstType, ClaimType secondType) : IClaimVisitor
    {
        public string? First;
        public string? Second;
        public int FirstCount;
        public int SecondCount;
        public bool FirstWrongType;
        public bool SecondWrongType;

        public bool Visit(Claim claim)
        {
            var type = claim.Type;
            if (firstType.Matches(type))
            {
                First = claim.Value;
                FirstCount++;
                FirstWrongType |= ClaimValueKind.IsStructuredOrLiteral(claim);
            }
            else if (secondType.Matches(type))
            {
                Second = claim.Value;
                SecondCount++;
                SecondWrongType |= ClaimValueKind.IsStructuredOrLiteral(claim);
            }

            return true;
        }
    }
}
