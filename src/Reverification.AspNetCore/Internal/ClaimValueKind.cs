using System.Security.Claims;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// What a claim's <see cref="Claim.ValueType"/> says about the JSON value it came from. ASP.NET Core's JWT handlers
/// split a JSON array into one claim per element and mark each element's JSON type: a string is
/// <see cref="ClaimValueTypes.String"/>, a number <see cref="ClaimValueTypes.Integer"/> (or <c>Integer64</c>,
/// <c>Double</c>, ...), an object <c>JSON</c>, an array <c>JSON_ARRAY</c>, <c>null</c> <c>JSON_NULL</c>, a boolean
/// <see cref="ClaimValueTypes.Boolean"/>.
/// </summary>
/// <remarks>
/// Only what the type settles is used: an <c>amr</c> element marked as a number, a boolean or an object is not a method
/// name, and a timestamp marked as an object, <c>null</c> or a boolean is not a time. An element marked
/// <c>JSON_ARRAY</c> (an array nested in the claim's array) cannot be told apart from the one-claim form of the whole
/// array when it is the only claim of its type (apps write that form with this type too); beside other claims of the
/// type it can only be nested, and the readers refuse it. The one-claim form typed as a string (ASP.NET Core's
/// <c>MapAll</c> claim action stores the userinfo <c>amr</c> array that way, beside the ID token's split claims) is read.
/// </remarks>
internal static class ClaimValueKind
{
    // Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes, without a dependency on that assembly.
    internal const string JsonArray = "JSON_ARRAY";
    internal const string Json = "JSON";
    internal const string JsonNull = "JSON_NULL";

    /// <summary>An object, <c>null</c> or a boolean: never a number or a time.</summary>
    public static bool IsStructuredOrLiteral(Claim claim)
        => claim.ValueType switch
        {
            Json or JsonNull or ClaimValueTypes.Boolean => true,
            _ => false,
        };

    /// <summary>A JSON number, an object, <c>null</c> or a boolean: not a string (an array is left to the reader).</summary>
    public static bool IsNotString(Claim claim)
        => claim.ValueType switch
        {
            ClaimValueTypes.String or JsonArray => false,
            Json or JsonNull or ClaimValueTypes.Boolean => true,
            ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64
                or ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64 or ClaimValueTypes.Double => true,
            _ => false,
        };

    /// <summary>An array nested in the claim's array (marked <c>JSON_ARRAY</c>).</summary>
    public static bool IsNestedArray(Claim claim) => string.Equals(claim.ValueType, JsonArray, StringComparison.Ordinal);
}
