using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.Identity.Internal;

namespace Reverification.Identity;

/// <summary>
/// Identity's <see cref="SignInManager{TUser}"/> that records, in the ticket or token it signs in, which factors a fresh
/// sign-in verified, and keeps those times unchanged when the sign-in is refreshed.
/// <c>AddIdentityReverification</c> registers it in place of <see cref="SignInManager{TUser}"/>.
/// </summary>
/// <typeparam name="TUser">The app's Identity user type.</typeparam>
/// <remarks>
/// <para>
/// What a fresh sign-in records (the contract's table): a password alone, the first factor; a password then a
/// two-factor code (authenticator, recovery code, or another two-factor provider), both factors; a passkey
/// (<see cref="SignInManager{TUser}.PasskeySignInAsync(string)"/>), both factors when the authenticator verified the
/// user, otherwise the second factor (possession) only; an external login, no factor, so the first protected request
/// asks for a reverification; an external login followed by a two-factor code, the second factor; any other
/// <see cref="SignInManager{TUser}.SignInAsync(TUser, bool, string?)"/> (after registration, say), no factor. An account
/// with two-factor authentication enabled always carries a second-factor time, stale when the sign-in did not verify it
/// (a remembered browser), so a password alone never passes a second-factor level.
/// </para>
/// <para>
/// <see cref="RefreshSignInAsync(TUser)"/>, the security-stamp validator's refresh and <c>MapIdentityApi</c>'s
/// <c>/refresh</c> keep the recorded times exactly as they were: never fresher, never dropped.
/// </para>
/// <para>
/// An app with its own sign-in manager derives it from this class instead of <see cref="SignInManager{TUser}"/>, and
/// calls the base implementation from its overrides; the app then fails at start-up if any other
/// <see cref="SignInManager{TUser}"/> is registered.
/// </para>
/// </remarks>
#pragma warning disable CA1711 // Named after Identity's SignInManager, which it replaces.
public class ReverificationSignInManager<TUser> : SignInManager<TUser>
#pragma warning restore CA1711
    where TUser : class
{
    private readonly IdentityVerificationClaims _claims;

    // State of one call on this (scoped) instance, set by the public entry points and read by SignInWithClaimsAsync and
    // CreateUserPrincipalAsync, which Identity calls from inside them.
    private Refresh? _refresh;
    private PasskeySignIn? _passkey;
    private ClaimsPrincipal? _validated;

    /// <summary>
    /// Creates the sign-in manager; the parameters are those of <see cref="SignInManager{TUser}"/>, and the recorder
    /// that writes the verification times.
    /// </summary>
    /// <param name="userManager">The user manager.</param>
    /// <param name="contextAccessor">The HTTP context accessor.</param>
    /// <param name="claimsFactory">The claims principal factory.</param>
    /// <param name="optionsAccessor">Identity's options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="schemes">The authentication schemes.</param>
    /// <param name="confirmation">The account confirmation.</param>
    /// <param name="recorder">The reverification recorder (registered by <c>AddReverification</c>).</param>
    public ReverificationSignInManager(
        UserManager<TUser> userManager,
        IHttpContextAccessor contextAccessor,
        IUserClaimsPrincipalFactory<TUser> claimsFactory,
        IOptions<IdentityOptions> optionsAccessor,
        ILogger<SignInManager<TUser>> logger,
        IAuthenticationSchemeProvider schemes,
        IUserConfirmation<TUser> confirmation,
        ReverificationRecorder recorder)
        : base(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        _claims = new IdentityVerificationClaims(recorder);
    }

    /// <inheritdoc/>
    /// <remarks>The verification times of the current ticket are kept exactly as they are.</remarks>
    public override async Task RefreshSignInAsync(TUser user)
    {
        _refresh = new Refresh(await ReadStoredPrincipalAsync().ConfigureAwait(false), Verified: null);
        try
        {
            await base.RefreshSignInAsync(user).ConfigureAwait(false);
        }
        finally
        {
            _refresh = null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Records both factors when the authenticator verified the user (the UV flag of this assertion), otherwise the
    /// second factor only.
    /// </remarks>
    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        _passkey = new PasskeySignIn(credentialJson);
        try
        {
            return await base.PasskeySignInAsync(credentialJson).ConfigureAwait(false);
        }
        finally
        {
            _passkey = null;
        }
    }

    /// <inheritdoc/>
    public override async Task<PasskeyAssertionResult<TUser>> PerformPasskeyAssertionAsync(string credentialJson)
    {
        var result = await base.PerformPasskeyAssertionAsync(credentialJson).ConfigureAwait(false);
        if (_passkey is { } passkey && result.Succeeded && ReferenceEquals(passkey.CredentialJson, credentialJson))
        {
            passkey.Asserted = true;
            passkey.UserVerified = PasskeyUserVerification.IsUserVerified(credentialJson);
        }

        return result;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The principal whose stamp was validated is remembered until the next <see cref="CreateUserPrincipalAsync"/> for
    /// the same user, which copies its verification times: that is how the security-stamp validator and
    /// <c>MapIdentityApi</c>'s <c>/refresh</c> renew a ticket or token without dropping them.
    /// </remarks>
    public override async Task<TUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal).ConfigureAwait(false);
        _validated = user is null ? null : principal;
        return user;
    }

    /// <inheritdoc/>
    public override async Task<ClaimsPrincipal> CreateUserPrincipalAsync(TUser user)
    {
        var principal = await base.CreateUserPrincipalAsync(user).ConfigureAwait(false);
        var validated = _validated;
        _validated = null;

        // A principal factory never contributes verification times; only a recording or a refresh does.
        _claims.RemoveVerificationClaims(principal.Identities);
        if (validated is not null
            && string.Equals(UserManager.GetUserId(validated), await UserManager.GetUserIdAsync(user).ConfigureAwait(false), StringComparison.Ordinal))
        {
            var kept = _claims.CopyFrom(validated);
            if (kept.Count > 0)
            {
                principal.Identities.First().AddClaims(kept);
                IdentitySignInLog.RefreshKeptTimes(Logger, "security stamp validated");
            }
        }

        return principal;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Every sign-in of Identity ends here. A fresh sign-in records the factors it verified (from Identity's <c>amr</c>
    /// claims, or the passkey assertion); <see cref="RefreshSignInAsync(TUser)"/> keeps the current times. Verification
    /// claims among <paramref name="additionalClaims"/> are replaced.
    /// </remarks>
    public override async Task SignInWithClaimsAsync(TUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(additionalClaims);
        var claims = additionalClaims.ToList();
        List<Claim> verification;
        if (_refresh is { } refresh)
        {
            if (refresh.Verified is { } verified)
            {
                verification = await _claims.CreateAsync(UserManager, user, verified, refresh.Stored).ConfigureAwait(false);
                IdentitySignInLog.VerificationRecorded(Logger, verified);
            }
            else
            {
                verification = _claims.CopyFrom(refresh.Stored);
                IdentitySignInLog.RefreshKeptTimes(Logger, "RefreshSignInAsync");
            }
        }
        else
        {
            var (method, verified) = Classify(claims);
            verification = await _claims.CreateAsync(UserManager, user, verified, current: null).ConfigureAwait(false);
            IdentitySignInLog.SignInRecorded(Logger, method, verified);
        }

        claims.RemoveAll(_claims.IsVerificationClaim);
        claims.AddRange(verification);
        _validated = null;
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a reverification of <paramref name="user"/> (the signed-in user) into the current ticket or token of
    /// <see cref="SignInManager{TUser}.AuthenticationScheme"/>: signs in again like <see cref="RefreshSignInAsync(TUser)"/>, with
    /// <paramref name="verified"/> now and the other factor carried over (kept present but stale when the security stamp
    /// changed since it was recorded).
    /// </summary>
    /// <returns><see langword="false"/> when the request is not signed in as <paramref name="user"/>.</returns>
    internal async Task<bool> RecordVerificationAsync(TUser user, ReverificationFactors verified)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = await ReadStoredPrincipalAsync().ConfigureAwait(false);
        if (stored is null
            || !string.Equals(UserManager.GetUserId(stored), await UserManager.GetUserIdAsync(user).ConfigureAwait(false), StringComparison.Ordinal))
        {
            return false;
        }

        _refresh = new Refresh(stored, verified);
        try
        {
            await base.RefreshSignInAsync(user).ConfigureAwait(false);
        }
        finally
        {
            _refresh = null;
        }

        return true;
    }

    /// <summary>What a fresh sign-in verified, from the claims Identity passes to <see cref="SignInWithClaimsAsync"/>.</summary>
    private (string Method, ReverificationFactors? Verified) Classify(List<Claim> claims)
    {
        if (_passkey is { Asserted: true } passkey)
        {
            return passkey.UserVerified ? ("passkey (user verified)", ReverificationFactors.MultiFactor) : ("passkey", ReverificationFactors.SecondFactor);
        }

        var external = claims.Exists(static c => c.Type == ClaimTypes.AuthenticationMethod);
        if (HasAmr(claims, "mfa"))
        {
            // Identity's two-factor step; after an external login only the code was verified here.
            return external ? ("external login and two-factor code", ReverificationFactors.SecondFactor) : ("password and two-factor code", ReverificationFactors.MultiFactor);
        }

        if (HasAmr(claims, "pwd"))
        {
            return ("password", ReverificationFactors.FirstFactor);
        }

        return (external ? "external login" : "other", null);
    }

    private static bool HasAmr(List<Claim> claims, string value)
        => claims.Exists(c => c.Type == "amr" && string.Equals(c.Value, value, StringComparison.Ordinal));

    /// <summary>
    /// The ticket of <see cref="SignInManager{TUser}.AuthenticationScheme"/> as its handler read it, before the app's
    /// <see cref="IClaimsTransformation"/> (which removes revoked times from what the request sees).
    /// </summary>
    private async Task<ClaimsPrincipal?> ReadStoredPrincipalAsync()
    {
        var handlers = Context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        var handler = await handlers.GetHandlerAsync(Context, AuthenticationScheme).ConfigureAwait(false);
        if (handler is null)
        {
            return null;
        }

        var result = await handler.AuthenticateAsync().ConfigureAwait(false);
        return result.Succeeded ? result.Principal : null;
    }

    private sealed record Refresh(ClaimsPrincipal? Stored, ReverificationFactors? Verified);

    private sealed class PasskeySignIn(string credentialJson)
    {
        public string CredentialJson { get; } = credentialJson;

        public bool Asserted { get; set; }

        public bool UserVerified { get; set; }
    }
}
