using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.Redis;
using Reverification.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Keeps Reverification's one-time approvals in Redis, for apps with several instances.
/// </summary>
public static class RedisApprovalStoreServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the in-memory approval store with Redis at <paramref name="configuration"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>Call it before or after <c>AddReverification()</c>; it replaces whichever store is registered.</remarks>
    public static IServiceCollection AddRedisApprovalStore(this IServiceCollection services, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddRedisApprovalStore(o => o.Configuration = configuration);
    }

    /// <summary>
    /// Replaces the in-memory approval store with Redis through the app's own connection.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">The app's connection multiplexer.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddRedisApprovalStore(this IServiceCollection services, Func<IServiceProvider, IConnectionMultiplexer> connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return services.AddRedisApprovalStore(o => o.ConnectionMultiplexerFactory = sp => Task.FromResult(connection(sp)));
    }

    /// <summary>
    /// Replaces the in-memory approval store with Redis, configured by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the connection and the key prefix.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddRedisApprovalStore(this IServiceCollection services, Action<RedisApprovalStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisApprovalStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisApprovalStoreOptions>, RedisApprovalStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisApprovalStore>();
        services.RemoveAll<IReverificationApprovalStore>();
        services.AddSingleton<IReverificationApprovalStore>(static sp => sp.GetRequiredService<RedisApprovalStore>());
        return services;
    }
}
