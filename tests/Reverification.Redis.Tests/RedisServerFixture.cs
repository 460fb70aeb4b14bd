namespace Reverification.Redis.Tests;

/// <summary>One Redis for the test classes of the collection; each test uses its own key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public string Address => _server?.Address ?? throw new InvalidOperationException("The Redis server is not started.");

    public async Task InitializeAsync() => _server = await RedisServer.SharedOrStartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisTests : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Redis";
}
