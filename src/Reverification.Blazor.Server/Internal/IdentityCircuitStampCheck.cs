using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Identity.Internal;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// The stamp check with Identity, on a fresh scope each time: the circuit's own scope (and its DbContext) lives as long
/// as the circuit and would answer the user as it first read it. One store read.
/// </summary>
internal sealed class IdentityCircuitStampCheck<TUser>(IServiceScopeFactory scopes) : CircuitStampCheck
    where TUser : class
{
    public override async Task<bool> StillValidAsync(ClaimsPrincipal user)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<VerificationReceipts<TUser>>().StampStillValidAsync(user).ConfigureAwait(false);
        }
    }
}
