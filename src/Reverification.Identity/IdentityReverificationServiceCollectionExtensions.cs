using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reverification.Identity;
using Reverification.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers reverification with ASP.NET Core Identity.
/// </summary>
public static class IdentityReverificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds what the reverification endpoints of <see cref="Microsoft.AspNetCore.Builder.IdentityReverificationEndpointRouteBuilderExtensions.MapReverificationEndpoints{TUser}"/>
    /// need, for Identity users of type <typeparamref name="TUser"/>, and makes Identity's authenticator codes
    /// single-use.
    /// </summary>
    /// <typeparam name="TUser">The app's Identity user type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Use it with <c>AddIdentity</c>, <c>AddIdentityCore</c> (with <c>AddSignInManager</c> for passkeys) or
    /// <c>AddIdentityApiEndpoints</c>, before or after them. It also calls <c>AddReverification()</c>, which is harmless
    /// when the app already did; the app must read the library's timestamp claims (the default). Calling it more than
    /// once is harmless; each <paramref name="configure"/> applies. Options are validated when the app starts.
    /// </para>
    /// <para>
    /// Identity's authenticator token provider (<see cref="TokenOptions.DefaultAuthenticatorProvider"/>, which
    /// <see cref="TokenOptions.AuthenticatorTokenProvider"/> is set to) is replaced by one that accepts a code's time
    /// step at most once per user and the current step plus or minus one, on the app's <see cref="TimeProvider"/>, so
    /// the app's own sign-in (<c>TwoFactorAuthenticatorSignInAsync</c>, <c>MapIdentityApi</c>'s <c>/login</c>) and the
    /// reverification endpoints share the rule. The last used step is kept in the Identity store as an authentication token of the
    /// user (<c>[Reverification]</c>, <c>LastTotpStep</c>), written with the user's concurrency stamp: a scaled-out app
    /// needs nothing beyond the Identity store its instances already share.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddIdentityReverification<TUser>(this IServiceCollection services, Action<IdentityReverificationOptions>? configure = null)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<IdentityReverificationOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        AddVerification<TUser>(services);

        // Sign-in recording and security-stamp revocation register here.
        IdentitySignInRegistration.Add<TUser>(services);

        return services;
    }

    /// <summary>The verification endpoints' services and the single-use authenticator provider.</summary>
    private static void AddVerification<TUser>(IServiceCollection services)
        where TUser : class
    {
        services.AddReverification();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityReverificationOptions>, IdentityReverificationOptionsValidator<TUser>>());
        services.TryAddSingleton<AuthenticatorCodeVerifier>();
        services.TryAddSingleton<SingleUseAuthenticatorTokenProvider<TUser>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<IdentityOptions>, AuthenticatorProviderSetup<TUser>>());
        services.TryAddSingleton<AttemptLimiter>();
        services.TryAddSingleton<IdentityReverificationMetrics>();
        services.TryAddScoped<IdentityReverificationHandler<TUser>>();
        services.TryAddScoped<VerificationReceipts<TUser>>();
    }
}
