using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers reverification.
/// </summary>
public static class ReverificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds reverification with the default options: the library's timestamp claims, the four presets, the contract's
    /// 403 answer with the RFC 9470 challenge.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddReverification(this IServiceCollection services)
        => services.AddReverification(static _ => { });

    /// <summary>
    /// Adds reverification and configures it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options: claim format, the app's levels, the answer.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Calling it more than once is harmless; each <paramref name="configure"/> applies. It calls
    /// <c>AddAuthorization()</c>, registers the authorization handler, and wraps the
    /// <see cref="IAuthorizationMiddlewareResultHandler"/> registered so far (ASP.NET Core's default if none): register
    /// an own result handler <em>before</em> calling this. Options are validated, and every endpoint's level is
    /// checked, when the app starts.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddReverification(this IServiceCollection services, Action<ReverificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<ReverificationOptions>().Configure(configure).ValidateOnStart();
        if (services.Any(static d => d.ServiceType == typeof(ReverificationService)))
        {
            return services;
        }

        services.AddAuthorization();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ReverificationMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReverificationOptions>, ReverificationOptionsValidator>());
        services.TryAddSingleton<ReverificationService>();
        services.TryAddSingleton<IReverificationService>(static sp => sp.GetRequiredService<ReverificationService>());
        services.TryAddSingleton<ReverificationResponseWriter>();
        services.TryAddSingleton<ApprovalMetrics>();
        services.TryAddSingleton<IReverificationApprovalStore>(static sp => new InMemoryApprovalStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ApprovalService>();
        services.TryAddSingleton(static sp => new ReverificationRecorder(
            sp.GetRequiredService<IOptions<ReverificationOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ApprovalService>()));
        services.TryAddSingleton<ReverificationForbidResultFilter>();
        AddHandlerFirst(services);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigureOptions<MvcOptions>, ReverificationMvcOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ReverificationStartupFilter>());
        DecorateResultHandler(services);
        return services;
    }

    /// <summary>
    /// Registers the handler ahead of the app's handlers and ASP.NET Core's pass-through handler, so that a requirement
    /// that passes has succeeded before the requirement's own not-registered check runs (see
    /// <see cref="ReverificationRequirement"/>). Handlers run in registration order.
    /// </summary>
    private static void AddHandlerFirst(IServiceCollection services)
    {
        // Approval handler first: inserted at the same place, the reverification handler then goes ahead of it.
        AddHandlerFirst(services, ServiceDescriptor.Singleton<IAuthorizationHandler, ApprovalAuthorizationHandler>());
        AddHandlerFirst(services, ServiceDescriptor.Singleton<IAuthorizationHandler, ReverificationAuthorizationHandler>());
    }

    private static void AddHandlerFirst(IServiceCollection services, ServiceDescriptor descriptor)
    {
        var first = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IAuthorizationHandler) && !services[i].IsKeyedService)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            services.Add(descriptor);
        }
        else
        {
            services.Insert(first, descriptor);
        }
    }

    private static void DecorateResultHandler(IServiceCollection services)
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        var inner = index >= 0 ? services[index] : ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, AuthorizationMiddlewareResultHandler>();
        var decorated = ServiceDescriptor.Describe(
            typeof(IAuthorizationMiddlewareResultHandler),
            sp => new ReverificationMiddlewareResultHandler(
                CreateInner(sp, inner),
                sp.GetRequiredService<ReverificationService>(),
                sp.GetRequiredService<ReverificationResponseWriter>(),
                sp.GetRequiredService<ApprovalService>()),
            inner.Lifetime);
        if (index >= 0)
        {
            services[index] = decorated;
        }
        else
        {
            services.Add(decorated);
        }
    }

    private static IAuthorizationMiddlewareResultHandler CreateInner(IServiceProvider services, ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is IAuthorizationMiddlewareResultHandler instance)
        {
            return instance;
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return (IAuthorizationMiddlewareResultHandler)factory(services);
        }

        return (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
    }
}
