using System.Globalization;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using StackExchange.Redis;

namespace Reverification.Redis.Internal;

/// <summary>
/// One hash per approval, <c>{prefix}{id}</c>: <c>s</c> state (<c>p</c> pending, <c>a</c> approved), <c>u</c> subject,
/// <c>f</c> factors, <c>d</c> digest, <c>e</c> expiry (Unix ms of the app's clock), <c>m</c> summary. Its TTL is the
/// approval's remaining lifetime. Add, approve and consume are Lua scripts: each runs atomically on the server, so of
/// many concurrent consumes on any number of instances exactly one gets the approval. Expiry is also checked against
/// the app's <see cref="TimeProvider"/> (field <c>e</c>), so an app's clock, not Redis's, decides.
/// </summary>
internal sealed class RedisApprovalStore(IOptions<RedisApprovalStoreOptions> options, IServiceProvider services, TimeProvider timeProvider) : IReverificationApprovalStore, IAsyncDisposable
{
    private const string AddScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 's', 'p', 'u', ARGV[1], 'f', ARGV[2], 'd', ARGV[3], 'e', ARGV[4], 'm', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return 1
        """;

    private const string ApproveScript = """
        local e = redis.call('HGET', KEYS[1], 'e')
        if not e or tonumber(e) <= tonumber(ARGV[1]) then return 0 end
        if redis.call('HGET', KEYS[1], 's') ~= 'p' then return 0 end
        redis.call('HSET', KEYS[1], 's', 'a')
        return 1
        """;

    // One read of the hash: an approved, unexpired approval is deleted and returned whole.
    private const string ConsumeScript = """
        local v = redis.call('HGETALL', KEYS[1])
        local s, e
        for i = 1, #v, 2 do
          if v[i] == 's' then s = v[i + 1] elseif v[i] == 'e' then e = v[i + 1] end
        end
        if s ~= 'a' or not e or tonumber(e) <= tonumber(ARGV[1]) then return false end
        redis.call('DEL', KEYS[1])
        return v
        """;

    private readonly RedisApprovalStoreOptions _options = options.Value;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private volatile IConnectionMultiplexer? _connection;
    private bool _ownsConnection;

    public async ValueTask AddAsync(ReverificationApproval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var now = timeProvider.GetUtcNow();
        var ttl = (long)Math.Ceiling((approval.ExpiresAt - now).TotalMilliseconds);
        if (ttl <= 0)
        {
            return;
        }

        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var added = (long)await database.ScriptEvaluateAsync(
            AddScript,
            [Key(approval.Id)],
            [
                approval.Subject,
                ((int)approval.Factors).ToString(CultureInfo.InvariantCulture),
                approval.Digest.ToArray(),
                approval.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                approval.Summary ?? string.Empty,
                ttl.ToString(CultureInfo.InvariantCulture),
            ]).ConfigureAwait(false);
        if (added != 1)
        {
            throw new InvalidOperationException("An approval with this id already exists in Redis.");
        }
    }

    public async ValueTask<ReverificationApproval?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var entries = await database.HashGetAllAsync(Key(id)).ConfigureAwait(false);
        var approval = Read(id, entries);
        return approval is not null && approval.ExpiresAt > timeProvider.GetUtcNow() ? approval : null;
    }

    public async ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(ApproveScript, [Key(id)], [NowMilliseconds()]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(ConsumeScript, [Key(id)], [NowMilliseconds()]).ConfigureAwait(false);
        if (result.IsNull || result.Resp2Type != ResultType.Array)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        var entries = new HashEntry[values.Length / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new HashEntry((RedisValue)values[2 * i], (RedisValue)values[(2 * i) + 1]);
        }

        return Read(id, entries);
    }

    private RedisKey Key(string id) => _options.KeyPrefix + id;

    private RedisValue NowMilliseconds() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>An approval read back; <see langword="null"/> when the hash is missing or not one this store wrote.</summary>
    private static ReverificationApproval? Read(string id, HashEntry[] entries)
    {
        RedisValue state = default, subject = default, factors = default, digest = default, expires = default, summary = default;
        foreach (var entry in entries)
        {
            switch ((string?)entry.Name)
            {
                case "s": state = entry.Value; break;
                case "u": subject = entry.Value; break;
                case "f": factors = entry.Value; break;
                case "d": digest = entry.Value; break;
                case "e": expires = entry.Value; break;
                case "m": summary = entry.Value; break;
            }
        }

        if (state.IsNull || subject.IsNullOrEmpty || !factors.TryParse(out int factorValue) || digest.IsNull || !expires.TryParse(out long expiresMs)
            || factorValue is < 1 or > 3)
        {
            return null;
        }

        var summaryText = (string?)summary;
        return new ReverificationApproval
        {
            Id = id,
            Subject = subject!,
            Digest = (byte[])digest!,
            Factors = (ReverificationFactors)factorValue,
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs),
            Summary = string.IsNullOrEmpty(summaryText) ? null : summaryText,
            IsApproved = state == "a",
        };
    }

    private async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connection)
        {
            return connection.GetDatabase();
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                if (_options.ConnectionMultiplexerFactory is { } factory)
                {
                    _connection = await factory(services).ConfigureAwait(false);
                }
                else
                {
                    var configuration = ConfigurationOptions.Parse(_options.Configuration!);
                    // Keep reconnecting in the background, and fail commands at once while disconnected: the endpoint
                    // answers 503 promptly instead of queueing requests behind a Redis that is down.
                    configuration.AbortOnConnectFail = false;
                    configuration.BacklogPolicy = BacklogPolicy.FailFast;
                    _connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
                    _ownsConnection = true;
                }
            }

            return _connection.GetDatabase();
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
    }
}
