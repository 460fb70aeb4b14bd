using System.Security.Claims;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// Whether the verification times a circuit's user carries are still bound to the user's security stamp now:
/// registered by <c>AddReverificationBlazorServer&lt;TUser&gt;()</c> (Identity), read by <see cref="CircuitReverification"/>.
/// </summary>
internal abstract class CircuitStampCheck
{
    public abstract Task<bool> StillValidAsync(ClaimsPrincipal user);
}
