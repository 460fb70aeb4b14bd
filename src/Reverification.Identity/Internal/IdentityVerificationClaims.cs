using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Reverification.AspNetCore;

namespace Reverification.Identity.Internal;

/// <summary>
/// Writes, copies and recognises the verification claims of an Identity user: the core's timestamp claims (written by
/// <see cref="ReverificationRecorder"/>) and the <see cref="VerificationStamp"/> claim that binds them to the user's
/// security stamp. Every recording in this package (sign-in, reverification) goes through <see cref="CreateAsync"/>.
/// </summary>
/// <remarks>
/// Rules of a recording, beyond the recorder's own (a factor verified now gets the current time, the other is carried
/// over exactly):
/// <list type="bullet">
/// <item>The times of the current principal are carried over only while its stamp claim matches the user's current
/// stamp. Otherwise each factor it carries is kept, present, at the Unix epoch (<c>0</c>): present, so that a missing
/// second factor never reads as "no second factor", and too old for any level (at most 366 days).</item>
/// <item>An account with two-factor authentication enabled always carries a second-factor time: <c>0</c> when the
/// second factor was not verified in this session (a remembered browser, an external login, a password
/// reverification after a revocation), so the password alone never passes a second-factor level.</item>
/// <item>The stamp claim is written for the user's stamp now.</item>
/// </list>
/// </remarks>
internal sealed class IdentityVerificationClaims
{
    /// <summary>The value of a factor that is present (enrolled) but not verified in this session, or revoked.</summary>
    public const string NotVerifiedValue = "0";

    private readonly ReverificationRecorder _recorder;
    // Both claim types, published together (one reference write) once the recorder was asked.
    private string[]? _claimTypes;

    public IdentityVerificationClaims(ReverificationRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        _recorder = recorder;
    }

    /// <summary>The first factor's claim type, as the recorder writes it.</summary>
    public string FirstFactorClaimType => (_claimTypes ?? EnsureClaimTypes())[0];

    /// <summary>The second factor's claim type, as the recorder writes it.</summary>
    public string SecondFactorClaimType => (_claimTypes ?? EnsureClaimTypes())[1];

    /// <summary>
    /// Reads the claim types from the recorder, the one writer of the format (it writes the first factor, then the
    /// second); throws the recorder's message when the app reads another claim format than the timestamps.
    /// </summary>
    public string[] EnsureClaimTypes()
    {
        if (_claimTypes is { } known)
        {
            return known;
        }

        var claims = _recorder.CreateClaims(ReverificationFactors.MultiFactor);
        return _claimTypes = [claims[0].Type, claims[1].Type];
    }

    /// <summary>Whether <paramref name="claim"/> is a verification time or the stamp claim.</summary>
    public bool IsVerificationClaim(Claim claim)
        => IsTimeClaimType(claim.Type) || string.Equals(claim.Type, VerificationStamp.ClaimType, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="identity"/> carries a verification time (cheap: one pass over its claims, no allocation).</summary>
    public bool CarriesTimes(ClaimsIdentity identity)
    {
        foreach (var claim in identity.Claims)
        {
            if (IsTimeClaimType(claim.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The verification claims of a new ticket or token of <paramref name="user"/>: <paramref name="verified"/> now (or
    /// nothing verified now), the factors of <paramref name="current"/> carried over as the rules above say, and the
    /// stamp claim.
    /// </summary>
    public async Task<List<Claim>> CreateAsync<TUser>(UserManager<TUser> users, TUser user, ReverificationFactors? verified, ClaimsPrincipal? current)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        var userId = await users.GetUserIdAsync(user).ConfigureAwait(false);
        var expected = await ExpectedStampAsync(users, user, userId).ConfigureAwait(false);
        var carried = current is null ? null : StampMatches(current, expected, users.SupportsUserSecurityStamp) ? current : Demote(current);

        var claims = verified is { } factors ? [.. _recorder.CreateClaims(factors, carried)] : CopyTimes(carried);
        if (!claims.Exists(c => string.Equals(c.Type, SecondFactorClaimType, StringComparison.Ordinal))
            && await HasSecondFactorAsync(users, user).ConfigureAwait(false))
        {
            claims.Add(new Claim(SecondFactorClaimType, NotVerifiedValue, ClaimValueTypes.Integer64));
        }

        if (expected is not null)
        {
            claims.Add(new Claim(VerificationStamp.ClaimType, expected));
        }

        return claims;
    }

    /// <summary>
    /// A copy of <paramref name="principal"/> with <paramref name="verified"/> recorded (see <see cref="CreateAsync"/>):
    /// its verification claims are replaced, in the first authenticated identity. For code that records a reverification
    /// into a token or ticket it writes itself.
    /// </summary>
    public async Task<ClaimsPrincipal> ApplyAsync<TUser>(UserManager<TUser> users, TUser user, ClaimsPrincipal principal, ReverificationFactors verified)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claims = await CreateAsync(users, user, verified, principal).ConfigureAwait(false);
        return Replace(principal, claims);
    }

    /// <summary>
    /// The verification claims of <paramref name="source"/> exactly as they are (times and stamp claim), for a ticket
    /// that is renewed or refreshed: never fresher, never dropped.
    /// </summary>
    public List<Claim> CopyFrom(ClaimsPrincipal? source)
    {
        var claims = new List<Claim>(3);
        if (source is null)
        {
            return claims;
        }

        foreach (var identity in source.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                if (IsVerificationClaim(claim))
                {
                    claims.Add(new Claim(claim.Type, claim.Value, claim.ValueType));
                }
            }
        }

        return claims;
    }

    /// <summary>
    /// A copy of <paramref name="principal"/> whose verification claims are exactly <paramref name="claims"/>: removed from
    /// every identity, then added to the first authenticated one.
    /// </summary>
    public ClaimsPrincipal Replace(ClaimsPrincipal principal, IReadOnlyCollection<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identities = principal.Identities.Select(static i => i.Clone()).ToList();
        RemoveVerificationClaims(identities);
        if (claims.Count > 0)
        {
            var target = identities.FirstOrDefault(static i => i.IsAuthenticated)
                ?? throw new InvalidOperationException("Only an authenticated principal can carry verification times.");
            target.AddClaims(claims);
        }

        return new ClaimsPrincipal(identities);
    }

    /// <summary>Removes the verification claims from <paramref name="identities"/>, in place.</summary>
    public void RemoveVerificationClaims(IEnumerable<ClaimsIdentity> identities)
    {
        foreach (var identity in identities)
        {
            foreach (var claim in identity.Claims.Where(IsVerificationClaim).ToList())
            {
                identity.RemoveClaim(claim);
            }
        }
    }

    /// <summary>
    /// The stamp claim value <paramref name="user"/>'s verifications must carry now; <see langword="null"/> when the store
    /// keeps no security stamp (then nothing can be revoked) or the user has none.
    /// </summary>
    public static async Task<string?> ExpectedStampAsync<TUser>(UserManager<TUser> users, TUser user, string userId)
        where TUser : class
    {
        if (!users.SupportsUserSecurityStamp)
        {
            return null;
        }

        string stamp;
        try
        {
            stamp = await users.GetSecurityStampAsync(user).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // UserManager throws for a user without a stamp (created outside UserManager): nothing to bind to.
            return null;
        }

        return VerificationStamp.Compute(userId, stamp);
    }

    /// <summary>
    /// Whether the account has a second factor, as Identity's own sign-in decides it
    /// (<c>SignInManager.IsTwoFactorEnabledAsync</c>): two-factor enabled and at least one valid provider.
    /// </summary>
    public static async Task<bool> HasSecondFactorAsync<TUser>(UserManager<TUser> users, TUser user)
        where TUser : class
        => users.SupportsUserTwoFactor
            && await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
            && (await users.GetValidTwoFactorProvidersAsync(user).ConfigureAwait(false)).Count > 0;

    /// <summary>
    /// Whether the times <paramref name="principal"/> carries are bound to the stamp <paramref name="expected"/>: one
    /// stamp claim, equal to it. Without stamp support nothing can be compared, and the times count.
    /// </summary>
    public static bool StampMatches(ClaimsPrincipal principal, string? expected, bool stampsSupported)
    {
        if (!stampsSupported)
        {
            return true;
        }

        string? presented = null;
        var count = 0;
        foreach (var identity in principal.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.FindAll(VerificationStamp.ClaimType))
            {
                presented = claim.Value;
                count++;
            }
        }

        return count == 1 && VerificationStamp.Matches(presented, expected);
    }

    private bool IsTimeClaimType(string type)
        => string.Equals(type, FirstFactorClaimType, StringComparison.Ordinal)
            || string.Equals(type, SecondFactorClaimType, StringComparison.Ordinal);

    /// <summary>Each factor <paramref name="current"/> carries, kept present at <see cref="NotVerifiedValue"/>.</summary>
    private ClaimsPrincipal Demote(ClaimsPrincipal current)
    {
        var identity = new ClaimsIdentity("revoked");
        foreach (var type in new[] { FirstFactorClaimType, SecondFactorClaimType })
        {
            if (current.Identities.Any(i => i.IsAuthenticated && i.HasClaim(c => string.Equals(c.Type, type, StringComparison.Ordinal))))
            {
                identity.AddClaim(new Claim(type, NotVerifiedValue, ClaimValueTypes.Integer64));
            }
        }

        return new ClaimsPrincipal(identity);
    }

    private List<Claim> CopyTimes(ClaimsPrincipal? source)
        => [.. CopyFrom(source).Where(c => !string.Equals(c.Type, VerificationStamp.ClaimType, StringComparison.Ordinal))];
}
