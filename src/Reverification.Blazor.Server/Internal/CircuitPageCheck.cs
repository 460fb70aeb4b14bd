using Reverification.Client;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// <see cref="ReverificationGuard"/>'s decision in a circuit: the circuit's own user against the level, on the server,
/// as <see cref="CircuitReverification.EnsureAsync(string)"/> decides for a service.
/// </summary>
internal sealed class CircuitPageCheck(CircuitReverification circuit) : IReverificationPageCheck
{
    public async Task<ReverificationChallenge?> CheckAsync(string levelName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await circuit.EnsureAsync(levelName).ConfigureAwait(true);
            return null;
        }
        catch (ReverificationRequiredException e)
        {
            return e.Challenge;
        }
    }
}
