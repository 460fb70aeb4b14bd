using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Records a fresh verification after the app checked a password or a code: produces the claims of the library's own
/// timestamp format (<see cref="ReverificationOptionsExtensions.UseTimestamps"/>) for a new token, or refreshes the
/// current cookie ticket.
/// </summary>
/// <remarks>
/// Only call it after the app verified the factor itself (with ASP.NET Core Identity's
/// <c>CheckPasswordAsync</c> / <c>VerifyTwoFactorTokenAsync</c>, for example). The time of a factor that was not
/// verified now is carried over from the current principal exactly as it is.
/// </remarks>
public sealed class ReverificationRecorder
{
    private readonly ReverificationOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ApprovalService? _approvals;

    internal ReverificationRecorder(IOptions<ReverificationOptions> options, TimeProvider timeProvider, ApprovalService? approvals = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _timeProvider = timeProvider;
        _approvals = approvals;
    }

    /// <summary>
    /// Approves a one-time approval (<see cref="RequireApprovalAttribute"/>) of the signed-in user, after the app
    /// verified <paramref name="verified"/> itself just now: the client's retry that carries the id then passes once.
    /// </summary>
    /// <param name="user">The signed-in user (the request's <see cref="HttpContext.User"/>), whose subject must be the approval's.</param>
    /// <param name="approvalId">The id from the answer's <c>metadata.approval.id</c>.</param>
    /// <param name="verified">The factors verified just now.</param>
    /// <param name="cancellationToken">Cancels the store calls.</param>
    /// <returns>What happened; only <see cref="ReverificationApprovalResult.Approved"/> approves.</returns>
    /// <remarks>
    /// The factors verified now must satisfy the approval's level: the second factor for a <c>second_factor</c> or
    /// <c>multi_factor</c> level (the first factor when <paramref name="user"/>'s claims record no second factor, the
    /// contract's fallback), the first for a <c>first_factor</c> level. For <c>multi_factor</c> the other factor also
    /// counts when <paramref name="user"/>'s claims show it verified after the approval was issued (a password, then a
    /// code). An approval is approved once; call this only after a successful verification, never for a wrong answer.
    /// </remarks>
    public Task<ReverificationApprovalResult> ApproveAsync(ClaimsPrincipal user, string approvalId, ReverificationFactors verified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(approvalId);
        var approvals = _approvals
            ?? throw new InvalidOperationException("This ReverificationRecorder was not created by AddReverification(); resolve it from the services to approve.");
        return approvals.ApproveAsync(user, approvalId, verified, cancellationToken);
    }

    /// <summary>
    /// The verification claims to put in a new token.
    /// </summary>
    /// <param name="verified">The factors verified just now.</param>
    /// <param name="current">The current principal, whose claims for a factor not verified now are kept; optional.</param>
    /// <returns>
    /// A claim with the current time (Unix seconds, <see cref="ClaimValueTypes.Integer64"/>) for each factor verified
    /// now, and the current principal's claims, unchanged, for the other factor.
    /// </returns>
    /// <exception cref="InvalidOperationException">The app reads another claim format than the timestamps.</exception>
    /// <remarks>
    /// A factor that is present is never dropped: its claims are kept exactly as they are, even when they are
    /// malformed (a duplicated claim) or ahead of this server's clock, so a token that denies keeps denying until that
    /// factor is verified again. Dropping it would read as "no second factor", and the password alone would pass.
    /// </remarks>
    public IReadOnlyList<Claim> CreateClaims(ReverificationFactors verified, ClaimsPrincipal? current = null)
    {
        ReverificationLevel.ValidateFactors(verified, nameof(verified));
        var format = _options.ClaimsFormat.Timestamps
            ?? throw new InvalidOperationException(
                $"ReverificationRecorder writes the library's own timestamp claims, but the app reads the {_options.ClaimsFormat.Name} format. "
                + "Call options.UseTimestamps() in AddReverification, or record verifications the way your identity provider does.");

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var claims = new List<Claim>(2);
        Add(claims, format.FirstFactorClaimType, verified is ReverificationFactors.FirstFactor or ReverificationFactors.MultiFactor, now, current);
        Add(claims, format.SecondFactorClaimType, verified is ReverificationFactors.SecondFactor or ReverificationFactors.MultiFactor, now, current);
        return claims;
    }

    private static void Add(List<Claim> claims, string claimType, bool verifiedNow, string now, ClaimsPrincipal? current)
    {
        if (verifiedNow)
        {
            claims.Add(new Claim(claimType, now, ClaimValueTypes.Integer64));
            return;
        }

        if (current is null)
        {
            return;
        }

        foreach (var identity in current.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.FindAll(claimType))
            {
                // Kept as it is, well formed or not: the result decides as the current principal does.
                claims.Add(new Claim(claim.Type, claim.Value, claim.ValueType));
            }
        }
    }

    /// <summary>
    /// A copy of <paramref name="principal"/> whose verification claims record that <paramref name="verified"/> was
    /// verified now. Old verification claims are removed from every identity; the new ones go to the first
    /// authenticated identity.
    /// </summary>
    /// <param name="principal">The current principal.</param>
    /// <param name="verified">The factors verified just now.</param>
    /// <returns>The new principal.</returns>
    /// <exception cref="InvalidOperationException">The principal has no authenticated identity, or the format is not Timestamps.</exception>
    public ClaimsPrincipal Apply(ClaimsPrincipal principal, ReverificationFactors verified)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claims = CreateClaims(verified, principal);
        var identities = principal.Identities.Select(static i => i.Clone()).ToList();
        var target = identities.FirstOrDefault(static i => i.IsAuthenticated)
            ?? throw new InvalidOperationException("Only an authenticated principal can record a verification.");
        foreach (var identity in identities)
        {
            foreach (var old in identity.Claims.Where(IsVerificationClaim).ToList())
            {
                identity.RemoveClaim(old);
            }
        }

        target.AddClaims(claims);
        return new ClaimsPrincipal(identities);
    }

    /// <summary>
    /// Refreshes the current cookie ticket after the app verified <paramref name="verified"/>: signs the updated
    /// principal in again with the same authentication properties.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="verified">The factors verified just now.</param>
    /// <param name="scheme">
    /// The cookie scheme, or a policy scheme that forwards to it; <see langword="null"/> for the default authenticate
    /// scheme.
    /// </param>
    /// <returns>A task that completes when the cookie is written.</returns>
    /// <exception cref="InvalidOperationException">
    /// The scheme is not (and does not forward to) a cookie scheme, or the request is not authenticated with it.
    /// </exception>
    /// <remarks>
    /// The ticket is checked with the scheme (<c>AuthenticateAsync</c>), then read again as it is stored in the cookie
    /// (or in the cookie's session store): the principal <c>AuthenticateAsync</c> and <see cref="HttpContext.User"/>
    /// give has the claims of the app's <see cref="IClaimsTransformation"/> (added on every request, often in place),
    /// and they must not be written into the cookie, where they would outlive a change of the data they come from. The
    /// cookie is signed in once, through the request's own cookie handler, so it does not also renew the old ticket.
    /// </remarks>
    public async Task RefreshCookieAsync(HttpContext context, ReverificationFactors verified, string? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cookieScheme = await CookieTicketReader.ResolveCookieSchemeAsync(context, scheme).ConfigureAwait(false);
        var result = await context.AuthenticateAsync(cookieScheme).ConfigureAwait(false);
        var stored = result.Succeeded ? await CookieTicketReader.ReadStoredTicketAsync(context, cookieScheme).ConfigureAwait(false) : null;
        if (stored is null)
        {
            throw new InvalidOperationException(
                $"The request is not authenticated with the '{cookieScheme}' cookie scheme, so there is no cookie ticket to refresh. Sign the user in first.");
        }

        var principal = Apply(stored.Principal, verified);
        await context.SignInAsync(cookieScheme, principal, result.Properties).ConfigureAwait(false);
        context.User = principal;
    }

    private bool IsVerificationClaim(Claim claim)
        => _options.ClaimsFormat.Timestamps is { } format
            && (string.Equals(claim.Type, format.FirstFactorClaimType, StringComparison.Ordinal)
                || string.Equals(claim.Type, format.SecondFactorClaimType, StringComparison.Ordinal));
}
