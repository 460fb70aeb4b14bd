using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reverification.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds <see cref="ReverificationHandler"/> to an <see cref="IHttpClientBuilder"/>.
/// </summary>
public static class ReverificationHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="ReverificationHandler"/> that uses the <see cref="IReverificationPromptResolver"/> registered in
    /// the service collection, if any, otherwise the <see cref="IReverificationPrompt"/>.
    /// </summary>
    /// <param name="builder">The HTTP client builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// Call it <em>before</em> adding the handler that attaches the bearer token: the first handler added is the
    /// outermost, and the retry must pass through the token handler again to pick up the fresh token.
    /// </para>
    /// <para>
    /// <see cref="IHttpClientFactory"/> resolves handlers in a scope of its own, not the scope of the component or
    /// request that uses the client: register the prompt as a singleton (Blazor WebAssembly, MAUI, console apps). In
    /// Blazor Server, <c>AddReverificationBlazorServer()</c> (Reverification.Blazor.Server) registers a resolver that
    /// prompts in the dialog of the circuit that sends the request.
    /// </para>
    /// </remarks>
    public static IHttpClientBuilder AddReverificationHandler(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions();
        var name = builder.Name;

        // A resolver (Blazor Server: the circuit's dialog) picks the prompt per request; otherwise the one prompt service.
        return builder.AddHttpMessageHandler(sp => sp.GetService<IReverificationPromptResolver>() is { } resolver
            ? new ReverificationHandler(
                resolver,
                sp.GetRequiredService<IOptionsMonitor<ReverificationHandlerOptions>>().Get(name),
                sp.GetService<ILogger<ReverificationHandler>>())
            : new ReverificationHandler(
                sp.GetRequiredService<IReverificationPrompt>(),
                sp.GetRequiredService<IOptionsMonitor<ReverificationHandlerOptions>>().Get(name),
                sp.GetService<ILogger<ReverificationHandler>>()));
    }

    /// <summary>
    /// Adds a <see cref="ReverificationHandler"/> that uses the <see cref="IReverificationPrompt"/> registered in the
    /// service collection, with options for this client.
    /// </summary>
    /// <param name="builder">The HTTP client builder.</param>
    /// <param name="configure">Configures the options of this client's handler.</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="AddReverificationHandler(IHttpClientBuilder)"/>.</remarks>
    public static IHttpClientBuilder AddReverificationHandler(this IHttpClientBuilder builder, Action<ReverificationHandlerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(builder.Name, configure);
        return AddReverificationHandler(builder);
    }

    /// <summary>
    /// Adds a <see cref="ReverificationHandler"/> that uses <typeparamref name="TPrompt"/>, resolved from the service
    /// collection (registered as a singleton if it is not registered yet).
    /// </summary>
    /// <typeparam name="TPrompt">The prompt.</typeparam>
    /// <param name="builder">The HTTP client builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="AddReverificationHandler(IHttpClientBuilder)"/>.</remarks>
    public static IHttpClientBuilder AddReverificationHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TPrompt>(this IHttpClientBuilder builder)
        where TPrompt : class, IReverificationPrompt
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TPrompt>();
        return AddReverificationHandler(builder, static sp => sp.GetRequiredService<TPrompt>());
    }

    private static IHttpClientBuilder AddReverificationHandler(IHttpClientBuilder builder, Func<IServiceProvider, IReverificationPrompt> prompt)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions();
        var name = builder.Name;
        return builder.AddHttpMessageHandler(sp => new ReverificationHandler(
            prompt(sp),
            sp.GetRequiredService<IOptionsMonitor<ReverificationHandlerOptions>>().Get(name),
            sp.GetService<ILogger<ReverificationHandler>>()));
    }
}
