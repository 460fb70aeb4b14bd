using Microsoft.Extensions.DependencyInjection;

namespace Reverification.Identity.Internal;

/// <summary>
/// The registrations of sign-in recording and security-stamp revocation, called by
/// <see cref="IdentityReverificationServiceCollectionExtensions.AddIdentityReverification{TUser}"/>.
/// </summary>
internal static class IdentitySignInRegistration
{
    public static void Add<TUser>(IServiceCollection services)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
