using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Reverification.Redis.Tests;

/// <summary>
/// A real <c>redis-server</c> for the tests: the one at <c>REVERIFICATION_REDIS</c> (host:port, as <c>.ci/run</c> starts
/// it), or one this process starts from PATH on a free loopback port and stops. No Redis at all fails the tests with
/// what to install: they are never skipped.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string AddressVariable = "REVERIFICATION_REDIS";

    private Process? _process;

    private RedisServer(string address, Process? process)
    {
        Address = address;
        _process = process;
    }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>The shared Redis: <c>REVERIFICATION_REDIS</c> if set, otherwise a server of this process's own.</summary>
    public static Task<RedisServer> SharedOrStartAsync()
        => Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } address
            ? Task.FromResult(new RedisServer(address, null))
            : StartAsync();

    /// <summary>Starts a <c>redis-server</c> of this test's own (one it may kill), with <paramref name="arguments"/> added.</summary>
    public static async Task<RedisServer> StartAsync(params string[] arguments)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException(
                "The Redis tests need a real redis-server, and none is on PATH. Install Debian's redis-server "
                + "(sudo apt-get install -y redis-server; .ci/run does it), or set REVERIFICATION_REDIS=host:port to a running Redis.");
        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "yes" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer($"127.0.0.1:{port}", process);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Kills this test's own server, as a crash or a network cut would.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            throw new InvalidOperationException("Only a server this test started can be killed.");
        }

        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private async Task WaitUntilReadyAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(Address + ",connectTimeout=500");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server at {Address} did not answer within 5 seconds.");
    }

    private static string? FindExecutable()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
        return ValueTask.CompletedTask;
    }
}
