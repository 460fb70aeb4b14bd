using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using Reverification.Identity.Internal;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// Applies an Identity verification receipt to the circuit's authentication state: the receipt is checked on the server
/// (issued by this app, unexpired, for the circuit's own user, bound to the user's security stamp now) and the circuit's
/// principal gets the verification claims the cookie now carries; nothing else of the principal changes.
/// </summary>
internal sealed class CircuitReceiptHandler<TUser>(
    AuthenticationStateProvider authentication,
    VerificationReceipts<TUser> receipts,
    ILogger<CircuitReceiptHandler<TUser>> logger) : IReverificationReceiptHandler
    where TUser : class
{
    public async Task<bool> ApplyAsync(string receipt, CancellationToken cancellationToken)
    {
        if (authentication is not IHostEnvironmentAuthenticationStateProvider host)
        {
            throw new InvalidOperationException(
                $"The circuit's AuthenticationStateProvider ({authentication.GetType().Name}) does not implement IHostEnvironmentAuthenticationStateProvider, "
                + "so a verification cannot be applied to the circuit. Derive it from ServerAuthenticationStateProvider (or RevalidatingServerAuthenticationStateProvider), as the Blazor templates do.");
        }

        var state = await authentication.GetAuthenticationStateAsync().ConfigureAwait(true);
        cancellationToken.ThrowIfCancellationRequested();
        var (principal, refusal) = await receipts.ReadAsync(receipt, state.User).ConfigureAwait(true);
        if (principal is null)
        {
            BlazorServerLog.ReceiptRefused(logger, refusal!);
            return false;
        }

        host.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        BlazorServerLog.ReceiptApplied(logger);
        return true;
    }
}
