using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reverification.Identity.Internal;

/// <summary>
/// The registrations of sign-in recording and security-stamp revocation, called by
/// <see cref="IdentityReverificationServiceCollectionExtensions.AddIdentityReverification{TUser}"/>.
/// </summary>
internal static class IdentitySignInRegistration
{
    /// <summary>The service key under which the app's own <see cref="IClaimsTransformation"/> is kept, to run first.</summary>
    internal static readonly object InnerTransformationKey = new();

    public static void Add<TUser>(IServiceCollection services)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IdentityVerificationClaims>();
        ReplaceSignInManager<TUser>(services);
        DecorateClaimsTransformation<TUser>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SecurityStampValidatorOptions>, SecurityStampRefreshSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, IdentitySignInStartupFilter<TUser>>());
    }

    /// <summary>
    /// Replaces Identity's own <see cref="SignInManager{TUser}"/> (registered by <c>AddIdentity</c> and
    /// <c>AddSignInManager</c>) with <see cref="ReverificationSignInManager{TUser}"/>, keeping its lifetime. An app's
    /// own subclass is left alone: the start-up check accepts it only if it derives from
    /// <see cref="ReverificationSignInManager{TUser}"/>, and says so otherwise.
    /// </summary>
    private static void ReplaceSignInManager<TUser>(IServiceCollection services)
        where TUser : class
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(SignInManager<TUser>) && !descriptor.IsKeyedService && descriptor.ImplementationType == typeof(SignInManager<TUser>))
            {
                services[i] = ServiceDescriptor.Describe(typeof(SignInManager<TUser>), typeof(ReverificationSignInManager<TUser>), descriptor.Lifetime);
            }
        }
    }

    /// <summary>
    /// Puts the stamp check in place of the registered <see cref="IClaimsTransformation"/>; the app's own one (not
    /// ASP.NET Core's no-op default) moves under a key and runs first. Twice is harmless: the check is not wrapped again.
    /// </summary>
    private static void DecorateClaimsTransformation<TUser>(IServiceCollection services)
        where TUser : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IClaimsTransformation) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index >= 0 && services[index].ImplementationFactory?.Target is Marker)
        {
            return;
        }

        var hasInner = false;
        if (index >= 0)
        {
            var existing = services[index];
            services.RemoveAt(index);
            if (existing.ImplementationType != typeof(NoopClaimsTransformation))
            {
                services.Add(ToKeyed(existing));
                hasInner = true;
            }
        }

        var marker = new Marker(hasInner);
        services.AddScoped<IClaimsTransformation>(marker.Create<TUser>);
    }

    private static ServiceDescriptor ToKeyed(ServiceDescriptor descriptor)
    {
        var type = typeof(IClaimsTransformation);
        if (descriptor.ImplementationInstance is { } instance)
        {
            return ServiceDescriptor.KeyedSingleton(type, InnerTransformationKey, instance);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return new ServiceDescriptor(type, InnerTransformationKey, (sp, _) => factory(sp), descriptor.Lifetime);
        }

        return new ServiceDescriptor(type, InnerTransformationKey, descriptor.ImplementationType!, descriptor.Lifetime);
    }

    /// <summary>The target of the registered factory, which tells a second registration that the check is in place.</summary>
    private sealed class Marker(bool hasInner)
    {
        public IdentityStampClaimsTransformation<TUser> Create<TUser>(IServiceProvider services)
            where TUser : class
            => new IdentityStampClaimsTransformation<TUser>(
                hasInner ? services.GetRequiredKeyedService<IClaimsTransformation>(InnerTransformationKey) : null,
                services,
                services.GetRequiredService<IdentityVerificationClaims>(),
                services.GetRequiredService<ILogger<IdentityStampClaimsTransformation<TUser>>>());
    }
}
