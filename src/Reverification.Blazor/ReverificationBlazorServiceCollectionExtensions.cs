using Microsoft.Extensions.DependencyInjection.Extensions;
using Reverification.Blazor;
using Reverification.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="ReverificationDialogService"/>.
/// </summary>
public static class ReverificationBlazorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ReverificationDialogService"/>, also as the <see cref="IReverificationPrompt"/> that
    /// <c>AddReverificationHandler()</c> uses.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="lifetime">
    /// <see cref="ServiceLifetime.Singleton"/> (the default) for Blazor WebAssembly and MAUI Blazor Hybrid;
    /// <see cref="ServiceLifetime.Scoped"/> for Blazor Server, one per circuit (see
    /// <see cref="ReverificationDialogService"/> for how to build the client then).
    /// </param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is <see cref="ServiceLifetime.Transient"/>.</exception>
    public static IServiceCollection AddReverificationBlazor(this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (lifetime is not (ServiceLifetime.Singleton or ServiceLifetime.Scoped))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "The dialog service is shared by the dialog and the HTTP handler: use Singleton or Scoped.");
        }

        services.TryAdd(new ServiceDescriptor(typeof(ReverificationDialogService), typeof(ReverificationDialogService), lifetime));
        services.TryAdd(new ServiceDescriptor(typeof(IReverificationPrompt), static sp => sp.GetRequiredService<ReverificationDialogService>(), lifetime));
        return services;
    }
}
