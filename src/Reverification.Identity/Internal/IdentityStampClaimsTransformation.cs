using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reverification.Identity.Internal;

/// <summary>
/// Revokes verification times recorded before the user's security stamp changed, at once: for each authenticated
/// identity that carries verification times, the user is read once per request (by id, through
/// <see cref="UserManager{TUser}"/>) and the identity's <see cref="VerificationStamp"/> claim compared with the current
/// stamp. When it differs or is missing, the request sees the identity without its verification claims, so every
/// reverification level denies with the reverification answer. Identities without verification times cost one scan of
/// their claims and no store read.
/// </summary>
/// <remarks>
/// Registered in place of the app's own <see cref="IClaimsTransformation"/>, which runs first (<paramref name="inner"/>);
/// <paramref name="services"/> is the request's scope.
/// Scoped: the stamps read are kept for the request, so a request that authenticates several times reads the store once.
/// The stored ticket is not changed: a refresh of the sign-in keeps the old stamp claim, so the times stay revoked.
/// </remarks>
internal sealed class IdentityStampClaimsTransformation<TUser>(
    IClaimsTransformation? inner,
    IServiceProvider services,
    IdentityVerificationClaims claims,
    ILogger<IdentityStampClaimsTransformation<TUser>> logger) : IClaimsTransformation
    where TUser : class
{
    private Dictionary<string, string?>? _expected;

    // Resolved at the first identity that carries times: a request without them builds no UserManager (nor DbContext).
    private UserManager<TUser>? _users;

    private UserManager<TUser> Users => _users ??= services.GetRequiredService<UserManager<TUser>>();

    public IClaimsTransformation? Inner => inner;

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (inner is not null)
        {
            principal = await inner.TransformAsync(principal).ConfigureAwait(false);
        }

        List<ClaimsIdentity>? identities = null;
        var index = 0;
        foreach (var identity in principal.Identities)
        {
            if (identity.IsAuthenticated && claims.CarriesTimes(identity) && Users.SupportsUserSecurityStamp
                && await RevokedReasonAsync(identity).ConfigureAwait(false) is { } reason)
            {
                IdentitySignInLog.VerificationRevoked(logger, identity.AuthenticationType, reason);
                identities ??= [.. principal.Identities.Select(static i => i.Clone())];
                claims.RemoveVerificationClaims([identities[index]]);
            }

            index++;
        }

        return identities is null ? principal : new ClaimsPrincipal(identities);
    }

    /// <summary>Why the identity's times no longer count, or <see langword="null"/> when they do.</summary>
    private async Task<string?> RevokedReasonAsync(ClaimsIdentity identity)
    {
        var userId = identity.FindFirst(Users.Options.ClaimsIdentity.UserIdClaimType)?.Value;
        if (userId is null)
        {
            return "the identity names no user";
        }

        var expected = await ExpectedAsync(userId).ConfigureAwait(false);
        if (expected is null)
        {
            return "the user no longer exists or has no security stamp";
        }

        string? presented = null;
        var count = 0;
        foreach (var claim in identity.FindAll(VerificationStamp.ClaimType))
        {
            presented = claim.Value;
            count++;
        }

        if (count == 0)
        {
            return "the times are not bound to a security stamp";
        }

        return count == 1 && VerificationStamp.Matches(presented, expected) ? null : "the security stamp changed since they were recorded";
    }

    private async Task<string?> ExpectedAsync(string userId)
    {
        _expected ??= new Dictionary<string, string?>(1, StringComparer.Ordinal);
        if (_expected.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        var user = await Users.FindByIdAsync(userId).ConfigureAwait(false);
        var expected = user is null ? null : await IdentityVerificationClaims.ExpectedStampAsync(Users, user, userId).ConfigureAwait(false);
        _expected[userId] = expected;
        return expected;
    }
}
