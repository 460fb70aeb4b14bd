using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Options of Clerk's session-token format: <c>fva</c> = <c>[first factor age, second factor age]</c> in minutes as of
/// the token's <c>iat</c>, <c>-1</c> for never. Both the one-claim JSON array and the two claims ASP.NET Core's JWT
/// handlers make of an array are read; the token's age is added.
/// </summary>
public sealed class ClerkFvaClaimsOptions
{
    /// <summary>The claim holding the ages. Default: <c>fva</c>.</summary>
    public string ClaimType { get; set; } = "fva";

    internal void Validate(ValidateOptionsResultBuilder builder)
        => ClaimsFormatValidation.RequireClaimType(builder, ClaimType, $"{nameof(ClerkFvaClaimsOptions)}.{nameof(ClaimType)}");
}
