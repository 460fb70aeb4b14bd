using StackExchange.Redis;

namespace Reverification.Redis;

/// <summary>
/// Options of the Redis approval store (<c>AddRedisApprovalStore</c>): where Redis is and how keys are named.
/// </summary>
/// <remarks>
/// Give either <see cref="Configuration"/> (a StackExchange.Redis configuration string, <c>localhost:6379</c>) or
/// <see cref="ConnectionMultiplexerFactory"/> (the app's own connection, shared with its cache, say); the factory wins
/// when both are set. Validated at start-up.
/// </remarks>
public sealed class RedisApprovalStoreOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, such as <c>localhost:6379</c> or
    /// <c>redis1:6379,redis2:6379,password=...,ssl=true</c>. The store connects on first use, reconnects on its own,
    /// and fails a command at once while it is disconnected (the endpoint answers 503 instead of waiting).
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The app's own connection; called once, on first use.</summary>
    public Func<IServiceProvider, Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The prefix of every approval's keys: <c>{prefix}{&lt;id&gt;}</c> and, once approved, <c>{prefix}{&lt;id&gt;}:a</c>
    /// (the id in braces is their hash tag, so both live on one node of a cluster; the prefix itself must not contain
    /// braces). Default: <c>reverification:approval:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "reverification:approval:";
}
