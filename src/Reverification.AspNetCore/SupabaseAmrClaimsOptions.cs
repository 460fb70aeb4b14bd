using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Options of the Supabase-style <c>amr</c> format: an array of <c>{"method": "...", "timestamp": N}</c> objects; the
/// newest timestamp of each factor group counts. Methods in neither group (such as <c>anonymous</c> or
/// <c>token_refresh</c>) are not verifications and are ignored.
/// </summary>
public sealed class SupabaseAmrClaimsOptions
{
    /// <summary>
    /// Methods that count as a first factor, matched ordinally. Default: <c>password</c>, <c>otp</c>, <c>oauth</c>,
    /// <c>magiclink</c>, <c>sso/saml</c>, <c>email/signup</c>, <c>email_change</c>, <c>invite</c>, <c>recovery</c>,
    /// <c>web3</c>.
    /// </summary>
    public ISet<string> FirstFactorMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "password", "otp", "oauth", "magiclink", "sso/saml", "email/signup", "email_change", "invite", "recovery", "web3",
    };

    /// <summary>
    /// Methods that count as a second factor, matched ordinally. Default: <c>totp</c>, <c>mfa/totp</c>, <c>phone</c>,
    /// <c>mfa/phone</c>, <c>webauthn</c>, <c>mfa/webauthn</c>.
    /// </summary>
    public ISet<string> SecondFactorMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "totp", "mfa/totp", "phone", "mfa/phone", "webauthn", "mfa/webauthn",
    };

    internal void Validate(ValidateOptionsResultBuilder builder)
    {
        ClaimsFormatValidation.RequireMethods(builder, FirstFactorMethods, $"{nameof(SupabaseAmrClaimsOptions)}.{nameof(FirstFactorMethods)}");
        ClaimsFormatValidation.RequireMethods(builder, SecondFactorMethods, $"{nameof(SupabaseAmrClaimsOptions)}.{nameof(SecondFactorMethods)}");
        var overlap = FirstFactorMethods.Intersect(SecondFactorMethods, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (overlap.Count > 0)
        {
            builder.AddError(
                $"{nameof(SupabaseAmrClaimsOptions)}: a method cannot count as both factors, but {string.Join(", ", overlap.Select(static m => $"'{m}'"))} {(overlap.Count == 1 ? "is" : "are")} in {nameof(FirstFactorMethods)} and {nameof(SecondFactorMethods)}; remove {(overlap.Count == 1 ? "it" : "each")} from one.",
                $"{nameof(SupabaseAmrClaimsOptions)}.{nameof(SecondFactorMethods)}");
        }
    }
}
