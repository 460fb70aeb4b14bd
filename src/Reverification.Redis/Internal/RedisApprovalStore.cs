using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using StackExchange.Redis;

namespace Reverification.Redis.Internal;

/// <summary>
/// One hash per approval, <c>{prefix}{{id}}</c>: <c>s</c> state (<c>p</c> pending, <c>a</c> approved), <c>u</c>
/// subject, <c>f</c> factors, <c>d</c> digest, <c>e</c> expiry (Unix ms of the app's clock), <c>m</c> summary; its TTL
/// is the approval's remaining lifetime. Approving writes a second key, <c>{prefix}{{id}}:a</c>, a string that packs
/// the same fields with the same TTL, and the retry consumes it with one <c>GETDEL</c>: the hot path is one native
/// command, no script. Add and approve are Lua scripts. All of them run atomically on the server, so of many
/// concurrent consumes on any number of instances exactly one gets the approval. The two keys share a hash tag, so
/// they live on one node of a cluster. Expiry is also checked against the app's <see cref="TimeProvider"/> (field
/// <c>e</c>), so an app's clock, not Redis's, decides. Needs Redis 6.2 or later (<c>GETDEL</c>).
/// </summary>
internal sealed class RedisApprovalStore(IOptions<RedisApprovalStoreOptions> options, IServiceProvider services, TimeProvider timeProvider) : IReverificationApprovalStore, IAsyncDisposable
{
    private const string AddScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 's', 'p', 'u', ARGV[1], 'f', ARGV[2], 'd', ARGV[3], 'e', ARGV[4], 'm', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return 1
        """;

    // Pending and unexpired: marked approved, and its fields packed into the key the retry consumes (each field as
    // "<length>:<bytes>", in the order e, u, f, d, m), with the hash's remaining TTL.
    private const string ApproveScript = """
        local v = redis.call('HMGET', KEYS[1], 's', 'e', 'u', 'f', 'd', 'm')
        if v[1] ~= 'p' or not v[2] or tonumber(v[2]) <= tonumber(ARGV[1]) then return 0 end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl <= 0 then return 0 end
        local packed = {}
        for i = 2, 6 do
          local x = v[i] or ''
          packed[#packed + 1] = #x .. ':' .. x
        end
        redis.call('SET', KEYS[2], table.concat(packed), 'PX', ttl)
        redis.call('HSET', KEYS[1], 's', 'a')
        return 1
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
        if (approval is null || approval.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return null;
        }

        // Approved and consumed since: the hash stays (marked approved) until its TTL, the consumed key is gone.
        return approval.IsApproved && !await database.KeyExistsAsync(ApprovedKey(id)).ConfigureAwait(false) ? null : approval;
    }

    public async ValueTask<bool> ApproveAsync(string id, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(ApproveScript, [Key(id), ApprovedKey(id)], [NowMilliseconds()]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<ReverificationApproval?> ConsumeAsync(string id, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        RedisValue packed;
        try
        {
            packed = await database.StringGetDeleteAsync(ApprovedKey(id)).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
        {
            // Fails closed as any store error does (503); the log then says what to change.
            throw new InvalidOperationException("Reverification.Redis consumes approvals with GETDEL, which needs Redis 6.2 or later (or Valkey): upgrade the server.", ex);
        }

        var approval = packed.IsNull ? null : Unpack(id, (byte[])packed!);
        return approval is not null && approval.ExpiresAt > timeProvider.GetUtcNow() ? approval : null;
    }

    // The id in braces is the keys' hash tag: both keys of an approval on one cluster node, for the approve script.
    private RedisKey Key(string id) => string.Concat(_options.KeyPrefix, "{", id, "}");

    private RedisKey ApprovedKey(string id) => string.Concat(_options.KeyPrefix, "{", id, "}:a");

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

    /// <summary>An approved approval read back from the approve script's packing; <see langword="null"/> when it is not one.</summary>
    internal static ReverificationApproval? Unpack(string id, ReadOnlySpan<byte> packed)
    {
        if (!TryField(ref packed, out var expires) || !TryField(ref packed, out var subject) || !TryField(ref packed, out var factors)
            || !TryField(ref packed, out var digest) || !TryField(ref packed, out var summary) || !packed.IsEmpty
            || !System.Buffers.Text.Utf8Parser.TryParse(expires, out long expiresMs, out var used) || used != expires.Length
            || factors.Length != 1 || factors[0] is < (byte)'1' or > (byte)'3' || subject.IsEmpty)
        {
            return null;
        }

        return new ReverificationApproval
        {
            Id = id,
            Subject = Encoding.UTF8.GetString(subject),
            Digest = digest.ToArray(),
            Factors = (ReverificationFactors)(factors[0] - '0'),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs),
            Summary = summary.IsEmpty ? null : Encoding.UTF8.GetString(summary),
            IsApproved = true,
        };
    }

    /// <summary>Reads one <c>&lt;length&gt;:&lt;bytes&gt;</c> field off the front of <paramref name="packed"/>.</summary>
    private static bool TryField(ref ReadOnlySpan<byte> packed, out ReadOnlySpan<byte> field)
    {
        field = default;
        var colon = packed.IndexOf((byte)':');
        if (colon is < 1 or > 9 || !System.Buffers.Text.Utf8Parser.TryParse(packed[..colon], out int length, out var used)
            || used != colon || length < 0 || length > packed.Length - colon - 1)
        {
            return false;
        }

        field = packed.Slice(colon + 1, length);
        packed = packed[(colon + 1 + length)..];
        return true;
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
                    configuration.SocketManager = SocketManager.ThreadPool;
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
