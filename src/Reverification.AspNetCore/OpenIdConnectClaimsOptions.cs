using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Options of the OpenID Connect format: <c>auth_time</c> is when the first factor was verified; the second factor
/// counts as verified at <c>auth_time</c> when <c>amr</c> holds one of <see cref="SecondFactorMethods"/>. Short claim
/// names and the names of ASP.NET Core's inbound claim mapping are both read.
/// </summary>
public sealed class OpenIdConnectClaimsOptions
{
    /// <summary>
    /// <c>amr</c> values (RFC 8176) that count as a second factor, matched ordinally. Default: <c>mfa</c>, <c>otp</c>,
    /// <c>hwk</c>, <c>swk</c>, <c>sms</c>, <c>sc</c>, <c>tel</c>, <c>fpt</c>, <c>face</c>, <c>iris</c>,
    /// <c>retina</c>, <c>vbm</c>.
    /// </summary>
    public ISet<string> SecondFactorMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "mfa", "otp", "hwk", "swk", "sms", "sc", "tel", "fpt", "face", "iris", "retina", "vbm",
    };

    internal void Validate(ValidateOptionsResultBuilder builder)
        => ClaimsFormatValidation.RequireMethods(builder, SecondFactorMethods, $"{nameof(OpenIdConnectClaimsOptions)}.{nameof(SecondFactorMethods)}");
}
