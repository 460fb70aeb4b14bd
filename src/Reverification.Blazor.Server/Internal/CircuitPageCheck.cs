using Reverification.AspNetCore;
using Reverification.Client;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// <see cref="ReverificationGuard"/>'s decision in a circuit: the circuit's own user against the level, on the server,
/// as <see cref="CircuitReverification.EnsureAsync(string)"/> decides for a service. An inline level of a page is
/// decided the same way, as the level it describes.
/// </summary>
internal sealed class CircuitPageCheck(CircuitReverification circuit) : IReverificationPageCheck
{
    public Task<ReverificationChallenge?> CheckAsync(string levelName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(levelName);
        return CheckAsync(() => circuit.EnsureAsync(levelName), cancellationToken);
    }

    public Task<ReverificationChallenge?> CheckAsync(ClientFactors factors, double maxAgeMinutes, CancellationToken cancellationToken)
    {
        // Validated as the server's inline levels are: out of range is an ArgumentException (the guard's error view).
        var level = ReverificationLevel.Create((Reverification.AspNetCore.ReverificationFactors)(int)factors, maxAgeMinutes);
        return CheckAsync(() => circuit.EnsureLevelAsync(level), cancellationToken);
    }

    private static async Task<ReverificationChallenge?> CheckAsync(Func<Task> ensure, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await ensure().ConfigureAwait(true);
            return null;
        }
        catch (ReverificationRequiredException e)
        {
            return e.Challenge;
        }
    }
}
