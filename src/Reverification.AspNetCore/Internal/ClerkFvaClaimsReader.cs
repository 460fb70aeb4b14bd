using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Clerk's <c>fva</c>: <c>[first factor minutes, second factor minutes]</c> as of the token's <c>iat</c>, <c>-1</c>
/// for never. Read as one JSON-array claim, or as the two claims ASP.NET Core's JWT handlers make of an array.
/// </summary>
internal sealed class ClerkFvaClaimsReader(string fvaClaimType) : IVerificationClaimsReader
{
    internal const string IssuedAt = "iat";

    private static readonly ClaimType s_issuedAt = new(IssuedAt);

    private readonly ClaimType _fvaType = new(fvaClaimType);

    public VerificationTimes Read(ClaimsIdentity identity)
    {
        var visitor = new Visitor(_fvaType);
        ClaimsWalker.Walk(identity, ref visitor);
        if (visitor.FvaCount == 0)
        {
            return VerificationTimes.Missing;
        }

        if (visitor.FvaCount > 2)
        {
            return VerificationTimes.MalformedClaim(fvaClaimType);
        }

        if (visitor.IatCount != 1 || !ClaimValueParser.TryParseUnixSeconds(visitor.Iat.AsSpan(), out var iatSeconds))
        {
            return VerificationTimes.MalformedClaim(IssuedAt);
        }

        long f1, f2;
        if (visitor.FvaCount == 1)
        {
            if (!TryParseArray(visitor.Fva0.AsSpan(), out f1, out f2))
            {
                return VerificationTimes.MalformedClaim(fvaClaimType);
            }
        }
        else if (!ClaimValueParser.TryParseFvaMinutes(visitor.Fva0.AsSpan(), out f1)
            || !ClaimValueParser.TryParseFvaMinutes(visitor.Fva1.AsSpan(), out f2))
        {
            return VerificationTimes.MalformedClaim(fvaClaimType);
        }

        if (!TryToTime(iatSeconds, f1, out var first) || !TryToTime(iatSeconds, f2, out var second))
        {
            return VerificationTimes.MalformedClaim(fvaClaimType);
        }

        return VerificationTimes.Found(first, second, DateTimeOffset.FromUnixTimeSeconds(iatSeconds));
    }

    /// <summary>Exactly <c>[a,b]</c> with optional JSON whitespace around the tokens.</summary>
    internal static bool TryParseArray(ReadOnlySpan<char> s, out long first, out long second)
    {
        first = second = 0;
        s = ClaimValueParser.TrimJsonWhitespace(s);
        if (s.Length < 5 || s[0] != '[' || s[^1] != ']')
        {
            return false;
        }

        s = s[1..^1];
        var comma = s.IndexOf(',');
        if (comma < 0)
        {
            return false;
        }

        return ClaimValueParser.TryParseFvaMinutes(ClaimValueParser.TrimJsonWhitespace(s[..comma]), out first)
            && ClaimValueParser.TryParseFvaMinutes(ClaimValueParser.TrimJsonWhitespace(s[(comma + 1)..]), out second);
    }

    private static bool TryToTime(long iatSeconds, long minutes, out DateTimeOffset? time)
    {
        time = null;
        if (minutes < 0)
        {
            return true; // -1: never verified
        }

        // Ages that reach before 1970 are not real ages.
        if (minutes > iatSeconds / 60)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(iatSeconds - (minutes * 60));
        return true;
    }

    private struct Visitor(ClaimType fvaType) : IClaimVisitor
    {
        public string? Fva0;
        public string? Fva1;
        public int FvaCount;
        public string? Iat;
        public int IatCount;

        public bool Visit(Claim claim)
        {
            var type = claim.Type;
            if (fvaType.Matches(type))
            {
                switch (FvaCount++)
                {
                    case 0: Fva0 = claim.Value; break;
                    case 1: Fva1 = claim.Value; break;
                    default: return false;
                }
            }
            else if (s_issuedAt.Matches(type))
            {
                Iat = claim.Value;
                IatCount++;
            }

            return true;
        }
    }
}
