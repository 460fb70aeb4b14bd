using System.Collections.Frozen;
using System.Security.Claims;
using System.Text.Json;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// OpenID Connect: <c>auth_time</c> is when the first factor was verified; the second factor counts as verified at
/// <c>auth_time</c> when <c>amr</c> holds a second-factor method. Both short names and the names ASP.NET Core's
/// inbound claim mapping gives them are read.
/// </summary>
internal sealed class OpenIdConnectClaimsReader(IEnumerable<string> secondFactorMethods) : IVerificationClaimsReader
{
    internal const string AuthTime = "auth_time";
    internal const string MappedAuthTime = ClaimTypes.AuthenticationInstant;
    internal const string Amr = "amr";
    internal const string MappedAmr = "http://schemas.microsoft.com/claims/authnmethodsreferences";

    private static readonly ClaimType s_authTime = new(AuthTime);
    private static readonly ClaimType s_mappedAuthTime = new(MappedAuthTime);
    private static readonly ClaimType s_amr = new(Amr);
    private static readonly ClaimType s_mappedAmr = new(MappedAmr);

    private readonly FrozenSet<string> _secondFactorMethods = secondFactorMethods.ToFrozenSet(StringComparer.Ordinal);

    public VerificationTimes Read(ClaimsIdentity identity)
    {
        var visitor = new Visitor(_secondFactorMethods);
        ClaimsWalker.Walk(identity, ref visitor);
        if (visitor.AuthTimeCount == 0 && visitor.AmrCount == 0)
        {
            return VerificationTimes.Missing;
        }

        // An array marked as nested is the one-claim form only as the sole amr claim (["pwd", ["mfa"]] is malformed).
        if (visitor.Malformed || (visitor.NestedArray && visitor.AmrCount > 1))
        {
            return VerificationTimes.MalformedClaim(Amr);
        }

        if (visitor.AuthTimeCount != 1 || !ClaimValueParser.TryParseUnixSeconds(visitor.AuthTimeValue.AsSpan(), out var seconds))
        {
            return VerificationTimes.MalformedClaim(AuthTime);
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return VerificationTimes.Found(time, visitor.SecondFactor ? time : null);
    }

    private struct Visitor(FrozenSet<string> secondFactorMethods) : IClaimVisitor
    {
        public string? AuthTimeValue;
        public int AuthTimeCount;
        public int AmrCount;
        public bool NestedArray;
        public bool SecondFactor;
        public bool Malformed;

        public bool Visit(Claim claim)
        {
            var type = claim.Type;
            if (s_authTime.Matches(type) || s_mappedAuthTime.Matches(type))
            {
                AuthTimeValue = claim.Value;
                AuthTimeCount++;
            }
            else if (IsAmr(type))
            {
                AmrCount++;
                var value = claim.Value;
                if (value.Length > 0 && value[0] == '[')
                {
                    // amr kept as one JSON-array claim (a cookie ticket; ASP.NET's MapAll claim action stores the
                    // userinfo array that way, typed string, beside the ID token's split claims). Typed JSON_ARRAY, it
                    // is the JWT handler's mark of an array nested in the array (checked in Read).
                    NestedArray |= ClaimValueKind.IsNestedArray(claim);
                    Malformed |= !TryReadJsonArray(value, secondFactorMethods, ref SecondFactor);
                }
                else if (ClaimValueKind.IsNotString(claim))
                {
                    // amr holds strings: [1, 2], [true] and [{}] are not methods.
                    Malformed = true;
                }
                else if (secondFactorMethods.Contains(value))
                {
                    SecondFactor = true;
                }
            }

            return true;
        }
    }

    /// <summary>Whether the claim is <c>amr</c>, short or mapped.</summary>
    internal static bool IsAmr(string type)
        => s_amr.Matches(type) || s_mappedAmr.Matches(type);

    private static bool TryReadJsonArray(string value, FrozenSet<string> secondFactorMethods, ref bool secondFactor)
    {
        if (value.Length > 4096)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 2 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                if (secondFactorMethods.Contains(element.GetString()!))
                {
                    secondFactor = true;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
