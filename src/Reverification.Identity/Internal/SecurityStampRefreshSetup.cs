using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Reverification.Identity.Internal;

/// <summary>
/// Makes the security-stamp validator's refresh keep the verification claims of the current ticket exactly as they
/// are, after the app's own <see cref="SecurityStampValidatorOptions.OnRefreshingPrincipal"/> (if any) ran: never
/// fresher, never dropped, never duplicated (an app callback that copies every claim would otherwise copy them twice).
/// </summary>
internal sealed class SecurityStampRefreshSetup(IdentityVerificationClaims claims) : IPostConfigureOptions<SecurityStampValidatorOptions>
{
    public void PostConfigure(string? name, SecurityStampValidatorOptions options)
    {
        var app = options.OnRefreshingPrincipal;
        options.OnRefreshingPrincipal = async context =>
        {
            if (app is not null)
            {
                await app(context).ConfigureAwait(false);
            }

            if (context.NewPrincipal is { } refreshed)
            {
                context.NewPrincipal = claims.Replace(refreshed, claims.CopyFrom(context.CurrentPrincipal));
            }
        };
    }
}
