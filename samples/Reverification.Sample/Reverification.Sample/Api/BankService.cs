using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Reverification.AspNetCore;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;

namespace Reverification.Sample.Api;

/// <summary>
/// What the protected endpoints do, shared by the minimal API (<see cref="BankEndpoints"/>) and the controller
/// (<see cref="Controllers.BankController"/>). The reverification check happens before these run, in the
/// authorization middleware.
/// </summary>
public sealed class BankService(SampleDbContext db, UserManager<SampleUser> users, SignInManager<SampleUser> signIn, TimeProvider clock)
{
    /// <summary>The first factor's claim of the library's timestamp format (its default name), which sign-in and the reverify endpoints write.</summary>
    public const string FirstFactorClaimType = "f1_verified_at";

    /// <summary>The second factor's claim of the library's timestamp format (its default name).</summary>
    public const string SecondFactorClaimType = "f2_verified_at";

    public async Task<SampleUser?> FindAsync(ClaimsPrincipal principal) => await users.GetUserAsync(principal);

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
            ReadUnixTime(principal, FirstFactorClaimType),
            ReadUnixTime(principal, SecondFactorClaimType));
    }

    /// <summary>Transfers above this amount need a one-time approval (<c>POST /api/transfers/large</c>).</summary>
    public const decimal ApprovalThreshold = 500m;

    /// <summary>
    /// The summary the user approves, from the request's bound fields: "Send 600.00 EUR to Dave". Null (no summary)
    /// when the fields are missing or not of the expected kinds; the endpoint then refuses the body anyway.
    /// </summary>
    public static string? DescribeTransfer(ApprovalSummaryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.TryGetField("amount", out var amount) || amount.ValueKind != System.Text.Json.JsonValueKind.Number
            || !amount.TryGetDecimal(out var value)
            || !context.TryGetField("to", out var to) || to.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return null;
        }

        var payee = to.GetString()!.Trim();
        payee = payee.Length > 100 ? payee[..100] + "…" : payee;
        return string.Create(CultureInfo.InvariantCulture, $"Send {value:0.00} EUR to {payee}");
    }

    /// <summary>A made-up account number for the statement, derived from the user id (demo only).</summary>
    public static string AccountNumber(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var digits = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.Id));
        return "XX00 DEMO " + string.Concat(digits.Take(6).Select(b => (b % 100).ToString("00", CultureInfo.InvariantCulture)));
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

    /// <summary>
    /// "Display name changed to Alice B." once, never "Alice B..": a name that already ends a sentence gets no second
    /// full stop.
    /// </summary>
    public static string ProfileChangedMessage(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        return displayName.EndsWith('.') || displayName.EndsWith('!') || displayName.EndsWith('?') || displayName.EndsWith('…')
            ? $"Display name changed to {displayName}"
            : $"Display name changed to {displayName}.";
    }

    /// <summary>Deletes the user and their transfers, and signs this browser out. The demo users come back at the next start.</summary>
    public async Task DeleteAccountAsync(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await db.Transfers.Where(t => t.UserId == user.Id).ExecuteDeleteAsync();
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed.");
        }

        await signIn.SignOutAsync();
    }

    /// <summary>
    /// A verification time as the request's principal carries it. Reverification.Identity removes the times from a
    /// principal whose security stamp changed since they were recorded, so revoked times read as never.
    /// </summary>
    private static DateTimeOffset? ReadUnixTime(ClaimsPrincipal user, string type)
        => long.TryParse(user.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static TransferView ToView(Transfer t) => new(t.Id, t.To, t.Amount, t.CreatedAt);
}
