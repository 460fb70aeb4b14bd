using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;
using Reverification.Sample.Security;

namespace Reverification.Sample.Api;

/// <summary>
/// What the protected endpoints do, shared by the minimal API (<see cref="BankEndpoints"/>) and the controller
/// (<see cref="Controllers.BankController"/>). The reverification check happens before these run, in the
/// authorization middleware.
/// </summary>
public sealed class BankService(SampleDbContext db, UserManager<SampleUser> users, TimeProvider clock)
{
    public async Task<SampleUser?> FindAsync(ClaimsPrincipal principal)
        => TokenIssuer.ReadUserId(principal) is { } id ? await users.FindByIdAsync(id) : null;

    public async Task<AccountView> GetAccountAsync(SampleUser user, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(user);
        var transfers = await db.Transfers.Where(t => t.UserId == user.Id).OrderByDescending(t => t.Id).Take(20).ToListAsync();
        return new AccountView(
            user.Email ?? "",
            user.DisplayName,
            user.TwoFactorEnabled,
            user.Balance,
            [.. transfers.Select(ToView)],
            clock.GetUtcNow(),
            TokenIssuer.ReadUnixTime(principal, TokenIssuer.FirstFactorClaimType),
            TokenIssuer.ReadUnixTime(principal, TokenIssuer.SecondFactorClaimType));
    }

    /// <summary>Records a transfer; returns null with an error when the request is not acceptable.</summary>
    public async Task<(TransferResult? Result, ApiError? Error)> TransferAsync(SampleUser user, TransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.To) || request.To.Length > 100)
        {
            return (null, new ApiError("invalid_transfer", "Enter who receives the money."));
        }

        if (request.Amount <= 0 || request.Amount > user.Balance)
        {
            return (null, new ApiError("invalid_transfer", $"The amount must be more than 0 and at most your balance ({user.Balance:0.00})."));
        }

        var transfer = new Transfer { UserId = user.Id, To = request.To.Trim(), Amount = request.Amount, CreatedAt = clock.GetUtcNow() };
        user.Balance -= request.Amount;
        db.Transfers.Add(transfer);
        await db.SaveChangesAsync();
        return (new TransferResult(ToView(transfer), user.Balance), null);
    }

    public async Task<ApiError?> UpdateProfileAsync(SampleUser user, ProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(update);
        if (string.IsNullOrWhiteSpace(update.DisplayName) || update.DisplayName.Length > 50)
        {
            return new ApiError("invalid_profile", "The display name must have 1 to 50 characters.");
        }

        user.DisplayName = update.DisplayName.Trim();
        var result = await users.UpdateAsync(user);
        return result.Succeeded ? null : new ApiError("invalid_profile", string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>Deletes the user and their transfers. The demo users come back at the next start.</summary>
    public async Task DeleteAccountAsync(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await db.Transfers.Where(t => t.UserId == user.Id).ExecuteDeleteAsync();
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed.");
        }
    }

    private static TransferView ToView(Transfer t) => new(t.Id, t.To, t.Amount, t.CreatedAt);
}
