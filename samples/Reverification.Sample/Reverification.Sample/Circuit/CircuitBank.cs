using Microsoft.AspNetCore.Components.Authorization;
using Reverification.Blazor.Server;
using Reverification.Sample.Api;
using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Circuit;

/// <summary>
/// The bank's actions for a Blazor Server circuit: code that runs in the circuit calls this service directly (no HTTP
/// endpoint, so no <c>[RequireReverification]</c> can stand in front of it). It demands the level itself, first, with
/// <see cref="CircuitReverification.EnsureAsync"/>, which throws <see cref="ReverificationRequiredException"/> when the
/// circuit user's verification is too old; the page wraps the call in <c>ReverificationRunner.RunAsync</c>, which
/// prompts and runs it once more.
/// </summary>
public sealed class CircuitBank(CircuitReverification reverification, AuthenticationStateProvider authentication, IServiceScopeFactory scopes)
{
    public async Task<AccountView?> GetAccountAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        await using var scope = scopes.CreateAsyncScope();
        var bank = scope.ServiceProvider.GetRequiredService<BankService>();
        return await bank.FindAsync(user) is { } account ? await bank.GetAccountAsync(account, user) : null;
    }

    /// <summary>A transfer of at most <see cref="BankService.ApprovalThreshold"/>, at <c>strict</c>.</summary>
    public async Task<(TransferResult? Result, ApiError? Error)> TransferAsync(TransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Check first, then change things: the runner runs this again from the start after the prompt.
        await reverification.EnsureAsync("strict");
        if (request.Amount > BankService.ApprovalThreshold)
        {
            return (null, new ApiError("approval_required", $"Transfers above {BankService.ApprovalThreshold:0} need a one-time approval: use the Account page."));
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;

        // A scope per action: a circuit lives for minutes or hours, a DbContext should not.
        await using var scope = scopes.CreateAsyncScope();
        var bank = scope.ServiceProvider.GetRequiredService<BankService>();
        if (await bank.FindAsync(user) is not { } account)
        {
            return (null, new ApiError("signed_out", "Your account could not be found. Sign in again."));
        }

        return await bank.TransferAsync(account, request);
    }
}
