using Microsoft.AspNetCore.Identity;

namespace Reverification.Identity.Internal;

/// <summary>
/// Identity's authenticator token provider, single-use: registered in place of <see cref="AuthenticatorTokenProvider{TUser}"/>
/// so that the app's own sign-in (<c>TwoFactorAuthenticatorSignInAsync</c>), <c>VerifyTwoFactorTokenAsync</c> and the
/// reverification endpoints accept each code's time step once, through <see cref="AuthenticatorCodeVerifier"/>.
/// </summary>
internal sealed class SingleUseAuthenticatorTokenProvider<TUser>(AuthenticatorCodeVerifier verifier) : IUserTwoFactorTokenProvider<TUser>
    where TUser : class
{
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TUser> manager, TUser user)
        => !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user).ConfigureAwait(false));

    /// <summary>Codes come from the user's authenticator app, never from the server (as Identity's provider).</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<TUser> manager, TUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TUser> manager, TUser user)
        => await verifier.VerifyAsync(manager, user, token).ConfigureAwait(false) == AuthenticatorCodeResult.Verified;
}
