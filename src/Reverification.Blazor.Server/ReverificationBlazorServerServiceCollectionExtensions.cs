using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reverification.AspNetCore;
using Reverification.Blazor;
using Reverification.Blazor.Server;
using Reverification.Blazor.Server.Internal;
using Reverification.Client;
using Reverification.Identity.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers reverification for Blazor Server.</summary>
public static class ReverificationBlazorServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers reverification for Blazor Server: the dialog service per circuit, a circuit-scoped accessor so that
    /// <c>AddHttpClient(...).AddReverificationHandler()</c> prompts in the dialog of the circuit that sends the request,
    /// <see cref="CircuitReverification"/> and <see cref="ReverificationRunner"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">The dialog service is already registered as a singleton.</exception>
    /// <remarks>
    /// Without <c>TUser</c>, nothing updates a circuit's authentication state after a verification: use
    /// <see cref="AddReverificationBlazorServer{TUser}(IServiceCollection)"/> with Reverification.Identity's endpoints.
    /// </remarks>
    public static IServiceCollection AddReverificationBlazorServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(static d => d.ServiceType == typeof(ReverificationDialogService) && d.Lifetime != ServiceLifetime.Scoped))
        {
            throw new InvalidOperationException(
                "ReverificationDialogService is already registered as a singleton (AddReverificationBlazor()), which would show one user's dialog to every circuit. "
                + "In a Blazor Server app, call AddReverificationBlazorServer() instead of AddReverificationBlazor().");
        }

        services.AddReverificationBlazor(ServiceLifetime.Scoped);
        services.TryAddSingleton<CircuitServicesAccessor>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, ServicesAccessorCircuitHandler>());
        services.TryAddSingleton<IReverificationPromptResolver, CircuitPromptResolver>();
        services.TryAddScoped(static sp => new CircuitReverification(
            sp.GetRequiredService<AuthenticationStateProvider>(),
            sp.GetService<IReverificationService>() ?? throw new InvalidOperationException("CircuitReverification needs the server library: call builder.Services.AddReverification()."),
            sp.GetService<CircuitStampCheck>()));
        services.TryAddScoped(static sp => new ReverificationRunner(sp.GetRequiredService<ReverificationDialogService>()));

        // ReverificationGuard decides on the server in a circuit, never on the browser's word.
        services.TryAddScoped<IReverificationPageCheck, CircuitPageCheck>();
        return services;
    }

    /// <summary>
    /// Registers reverification for Blazor Server (see <see cref="AddReverificationBlazorServer(IServiceCollection)"/>),
    /// and the receipt handler that applies a verification made through <see cref="ReverificationForm"/> to the
    /// circuit's authentication state, for apps on Reverification.Identity's endpoints.
    /// </summary>
    /// <typeparam name="TUser">The app's Identity user type, as given to <c>AddIdentityReverification</c>.</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddReverificationBlazorServer<TUser>(this IServiceCollection services)
        where TUser : class
    {
        AddReverificationBlazorServer(services);
        services.TryAddScoped<VerificationReceipts<TUser>>();

        // With Identity the circuit's decision also reads the security stamp again (a verification recorded before a
        // password change or an authenticator reset elsewhere stops counting in open circuits too).
        services.TryAddSingleton<CircuitStampCheck, IdentityCircuitStampCheck<TUser>>();
        services.TryAddScoped<IReverificationReceiptHandler, CircuitReceiptHandler<TUser>>();
        return services;
    }
}
