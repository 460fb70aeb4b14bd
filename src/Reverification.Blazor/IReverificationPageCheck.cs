using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// Decides a page's reverification level on the server, for a <see cref="ReverificationGuard"/> that runs in a
/// Blazor Server circuit: the guard then renders the page only when the circuit's own user passes, whatever the
/// browser answers. Reverification.Blazor.Server registers one (<c>AddReverificationBlazorServer()</c>).
/// </summary>
/// <remarks>
/// Without one (WebAssembly, or a Server app that did not register it) the guard asks the server's
/// <c>{prefix}/check</c> endpoint through the browser, which is for the user's benefit only: the page's data must be
/// protected where it is served.
/// </remarks>
public interface IReverificationPageCheck
{
    /// <summary>Checks the circuit's user against the named level now.</summary>
    /// <param name="levelName">A preset's name or one the app registered.</param>
    /// <param name="cancellationToken">Cancelled when the guard navigates away.</param>
    /// <returns><see langword="null"/> when the user passes; otherwise the challenge to prompt with.</returns>
    /// <exception cref="UnauthorizedAccessException">The circuit's user is not signed in.</exception>
    /// <exception cref="ArgumentException">No level has that name.</exception>
    Task<ReverificationChallenge?> CheckAsync(string levelName, CancellationToken cancellationToken);

    /// <summary>Checks the circuit's user against an inline level (factors and max age) now.</summary>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes (greater than 0).</param>
    /// <param name="cancellationToken">Cancelled when the guard navigates away.</param>
    /// <returns><see langword="null"/> when the user passes; otherwise the challenge to prompt with.</returns>
    /// <exception cref="UnauthorizedAccessException">The circuit's user is not signed in.</exception>
    /// <exception cref="ArgumentException">The level is not valid (an argument out of range).</exception>
    Task<ReverificationChallenge?> CheckAsync(ReverificationFactors factors, double maxAgeMinutes, CancellationToken cancellationToken);
}
