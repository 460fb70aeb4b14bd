using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Reverification.AspNetCore;
using Reverification.Blazor.Server.Internal;
using Reverification.Client;

namespace Reverification.Blazor.Server;

/// <summary>
/// Lets a service called from a Blazor Server circuit demand a reverification level for the circuit's user: the
/// counterpart, inside a circuit, of <c>[RequireReverification]</c> on an endpoint. Inject it (scoped: one per circuit)
/// into the service and call <see cref="EnsureAsync"/> before the sensitive work.
/// </summary>
/// <remarks>
/// <para>
/// The user is the circuit's authentication state, checked with <see cref="IReverificationService"/> (the same levels,
/// claim format and decision as the endpoints). A circuit keeps the principal its first request authenticated; after a
/// verification through <see cref="ReverificationForm"/>, the circuit's state is updated from the endpoint's receipt
/// (<c>AddReverificationBlazorServer&lt;TUser&gt;()</c>), so the check sees the fresh times.
/// </para>
/// <para>
/// Only services resolved in the circuit's scope (injected into components) see the circuit's user. Calling it outside
/// a circuit (an HTTP request, a background job) throws <see cref="InvalidOperationException"/>: the authentication
/// state is the circuit's.
/// </para>
/// </remarks>
public sealed class CircuitReverification
{
    private readonly AuthenticationStateProvider _authentication;
    private readonly IReverificationService _reverification;
    private readonly CircuitStampCheck? _stamp;

    internal CircuitReverification(AuthenticationStateProvider authentication, IReverificationService reverification, CircuitStampCheck? stamp = null)
    {
        _authentication = authentication;
        _reverification = reverification;
        _stamp = stamp;
    }

    /// <summary>
    /// The decision, with the security stamp read again: a circuit lives for hours, and a verification recorded before
    /// the user's credentials changed (in another tab, on another device) stops counting at once, as on HTTP requests.
    /// One store read, only when the times pass.
    /// </summary>
    private async Task<ReverificationOutcome> CheckAsync(ClaimsPrincipal user, ReverificationLevel level)
    {
        var outcome = _reverification.Check(user, level);
        if (outcome == ReverificationOutcome.Passed && _stamp is not null && !await _stamp.StillValidAsync(user).ConfigureAwait(true))
        {
            return ReverificationOutcome.ReverificationRequired;
        }

        return outcome;
    }

    /// <summary>Returns when the circuit's user satisfies the level; otherwise throws <see cref="ReverificationRequiredException"/>.</summary>
    /// <param name="level">A preset's name (<c>strict</c>, ...) or a level the app registered.</param>
    /// <exception cref="ReverificationRequiredException">The user must verify again; its challenge names the level.</exception>
    /// <exception cref="UnauthorizedAccessException">The circuit's user is not signed in.</exception>
    /// <exception cref="ArgumentException">No level has that name: a programming error, never a pass.</exception>
    public async Task EnsureAsync(string level)
    {
        ArgumentException.ThrowIfNullOrEmpty(level);
        await EnsureLevelAsync(_reverification.GetLevel(level)).ConfigureAwait(true);
    }

    /// <summary>As <see cref="EnsureAsync(string)"/>, for a level already resolved (an inline level of a page).</summary>
    internal async Task EnsureLevelAsync(ReverificationLevel resolved)
    {
        var state = await _authentication.GetAuthenticationStateAsync().ConfigureAwait(false);
        switch (await CheckAsync(state.User, resolved).ConfigureAwait(true))
        {
            case ReverificationOutcome.Passed:
                return;
            case ReverificationOutcome.Unauthenticated:
                throw new UnauthorizedAccessException("The circuit's user is not signed in: a reverification level needs a signed-in user.");
            default:
                throw new ReverificationRequiredException(ChallengeOf(resolved));
        }
    }

    /// <summary>Whether the circuit's user satisfies the level now (no exception, no prompt).</summary>
    /// <param name="level">A preset's name or a level the app registered.</param>
    /// <returns><see langword="true"/> only when the level passes.</returns>
    public async Task<bool> HasReverifiedAsync(string level)
    {
        ArgumentException.ThrowIfNullOrEmpty(level);
        var resolved = _reverification.GetLevel(level);
        var state = await _authentication.GetAuthenticationStateAsync().ConfigureAwait(false);
        return await CheckAsync(state.User, resolved).ConfigureAwait(true) == ReverificationOutcome.Passed;
    }

    /// <summary>The challenge the server's answer would carry: the preset by name, any other level inline.</summary>
    internal static ReverificationChallenge ChallengeOf(ReverificationLevel level)
    {
        foreach (var preset in ReverificationChallenge.Presets)
        {
            if (string.Equals(preset.LevelName, level.Name, StringComparison.Ordinal))
            {
                return preset;
            }
        }

        return new ReverificationChallenge((ClientFactors)(int)level.Factors, level.MaxAgeMinutes);
    }
}
