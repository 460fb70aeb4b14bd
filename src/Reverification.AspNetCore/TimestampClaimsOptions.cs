using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Options of the library's own claim format (the default): one claim per factor holding the Unix time, in seconds,
/// of its last verification. A missing claim means that factor was never verified; a duplicated or unparsable one
/// denies. <see cref="ReverificationRecorder"/> writes this format.
/// </summary>
public sealed class TimestampClaimsOptions
{
    /// <summary>The claim holding the first factor's last verification time. Default: <c>f1_verified_at</c>.</summary>
    public string FirstFactorClaimType { get; set; } = "f1_verified_at";

    /// <summary>The claim holding the second factor's last verification time. Default: <c>f2_verified_at</c>.</summary>
    public string SecondFactorClaimType { get; set; } = "f2_verified_at";

    internal void Validate(ValidateOptionsResultBuilder builder)
    {
        ClaimsFormatValidation.RequireClaimType(builder, FirstFactorClaimType, $"{nameof(TimestampClaimsOptions)}.{nameof(FirstFactorClaimType)}");
        ClaimsFormatValidation.RequireClaimType(builder, SecondFactorClaimType, $"{nameof(TimestampClaimsOptions)}.{nameof(SecondFactorClaimType)}");
        if (!string.IsNullOrWhiteSpace(FirstFactorClaimType) && string.Equals(FirstFactorClaimType, SecondFactorClaimType, StringComparison.Ordinal))
        {
            builder.AddError(
                $"{nameof(TimestampClaimsOptions)}.{nameof(FirstFactorClaimType)} and {nameof(SecondFactorClaimType)} are both '{FirstFactorClaimType}'; give each factor its own claim.",
                $"{nameof(TimestampClaimsOptions)}.{nameof(SecondFactorClaimType)}");
        }
    }
}
