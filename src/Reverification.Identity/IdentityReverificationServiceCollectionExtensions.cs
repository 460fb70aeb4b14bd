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
    /// need, for Identity users of type <typeparamref name="TUser"/>.
    /// </summary>
    /// <typeparam name="TUser">The app's Identity user type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// Call it after <c>AddIdentity</c>, <c>AddIdentityCore</c> or <c>AddIdentityApiEndpoints</c>. It also calls
    /// <c>AddReverification()</c>, which is harmless when the app already did. Calling it more than once is harmless;
    /// each <paramref name="configure"/> applies. Options are validated when the app starts.
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

    /// <summary>The verification endpoints' services: options validation, the verifier.</summary>
    private static void AddVerification<TUser>(IServiceCollection services)
        where TUser : class
    {
        services.AddReverification();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityReverificationOptions>, IdentityReverificationOptionsValidator>());
    }
}
