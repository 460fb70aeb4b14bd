using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Reverification.Identity.Internal;

/// <summary>
/// Makes <see cref="SingleUseAuthenticatorTokenProvider{TUser}"/> Identity's authenticator provider, after the app's
/// and Identity's own configuration (<c>AddDefaultTokenProviders</c> may run before or after
/// <c>AddIdentityReverification</c>): under <see cref="TokenOptions.DefaultAuthenticatorProvider"/>, which
/// <see cref="TokenOptions.AuthenticatorTokenProvider"/> then names.
/// </summary>
internal sealed class AuthenticatorProviderSetup<TUser> : IPostConfigureOptions<IdentityOptions>
    where TUser : class
{
    public void PostConfigure(string? name, IdentityOptions options)
    {
        options.Tokens.ProviderMap[TokenOptions.DefaultAuthenticatorProvider] = new TokenProviderDescriptor(typeof(SingleUseAuthenticatorTokenProvider<TUser>));
        options.Tokens.AuthenticatorTokenProvider = TokenOptions.DefaultAuthenticatorProvider;
    }
}
