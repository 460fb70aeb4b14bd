using System.Security.Claims;

namespace Reverification.AspNetCore;

/// <summary>
/// Checks a user against a reverification level from code, for decisions made at run time: the counterpart of
/// Clerk's <c>has({ reverification: 'strict' })</c>. Pair it with <see cref="ReverificationResults.Required(string)"/>
/// to answer as the attribute would.
/// </summary>
public interface IReverificationService
{
    /// <summary>
    /// Checks <paramref name="user"/> against the named level.
    /// </summary>
    /// <param name="user">The authenticated user.</param>
    /// <param name="level">A preset's name or one the app registered (ordinal, case-sensitive).</param>
    /// <returns>The outcome; only <see cref="ReverificationOutcome.Passed"/> is a pass.</returns>
    /// <exception cref="ArgumentException">No level has that name: a programming error, never a pass.</exception>
    ReverificationOutcome Check(ClaimsPrincipal user, string level);

    /// <summary>
    /// Checks <paramref name="user"/> against <paramref name="level"/>.
    /// </summary>
    /// <param name="user">The authenticated user.</param>
    /// <param name="level">The level.</param>
    /// <returns>The outcome; only <see cref="ReverificationOutcome.Passed"/> is a pass.</returns>
    ReverificationOutcome Check(ClaimsPrincipal user, ReverificationLevel level);

    /// <summary>
    /// Finds a level by name: a preset or one the app registered.
    /// </summary>
    /// <param name="name">The name (ordinal, case-sensitive).</param>
    /// <returns>The level.</returns>
    /// <exception cref="ArgumentException">No level has that name.</exception>
    ReverificationLevel GetLevel(string name);
}
