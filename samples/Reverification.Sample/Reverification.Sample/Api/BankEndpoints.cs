using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Api;

/// <summary>The protected API as minimal endpoints, each with its reverification level.</summary>
public static class BankEndpoints
{
    public static void MapBankEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        api.MapGet("/account", async (HttpContext http, BankService bank) =>
            await bank.FindAsync(http.User) is { } user ? Results.Ok(await bank.GetAccountAsync(user, http.User)) : Results.Unauthorized());

        // The statement shows the account number and every transfer: strict, like moving money. The UI's page has the
        // guard too (for the user's benefit); this requirement is the one that protects the data.
        api.MapGet("/statement", async (HttpContext http, BankService bank) =>
            await bank.FindAsync(http.User) is { } user
                ? Results.Ok(await bank.GetAccountAsync(user, http.User) with { AccountNumber = BankService.AccountNumber(user) })
                : Results.Unauthorized()).RequireReverification("strict");

        // Moving money needs a second factor (or, for accounts without one, the password) verified in the last 10 minutes.
        // Above BankService.ApprovalThreshold it takes /api/transfers/large, so this endpoint refuses such amounts.
        api.MapPost("/transfers", async (TransferRequest request, HttpContext http, BankService bank) =>
        {
            if (await bank.FindAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            if (request.Amount > BankService.ApprovalThreshold)
            {
                return Results.BadRequest(new ApiError(
                    "approval_required",
                    $"Transfers above {BankService.ApprovalThreshold:0} need a one-time approval: send them to /api/transfers/large."));
            }

            var (result, error) = await bank.TransferAsync(user, request);
            return result is not null ? Results.Ok(result) : Results.BadRequest(error);
        }).RequireReverification("strict");

        // Large transfers need a one-time approval of this exact transfer (amount and payee), at the strict level: even a
        // verification a minute old does not pass; the user approves "Send 600.00 EUR to Dave" once, and the approval is
        // consumed by the transfer it names (PSD2's dynamic linking). See docs/approvals.md.
        api.MapPost("/transfers/large", async (TransferRequest request, HttpContext http, BankService bank) =>
        {
            if (await bank.FindAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            var (result, error) = await bank.TransferAsync(user, request);
            return result is not null ? Results.Ok(result) : Results.BadRequest(error);
        }).RequireApproval("strict", BankService.DescribeTransfer, "amount", "to");

        api.MapPut("/profile", async (ProfileUpdate update, HttpContext http, BankService bank) =>
        {
            if (await bank.FindAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            var error = await bank.UpdateProfileAsync(user, update);
            return error is null ? Results.Ok(new MessageResponse(BankService.ProfileChangedMessage(user.DisplayName))) : Results.BadRequest(error);
        }).RequireReverification("moderate");

        // Deleting the account needs both factors verified in the last 10 minutes.
        api.MapDelete("/account", async (HttpContext http, BankService bank) =>
        {
            if (await bank.FindAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            await bank.DeleteAccountAsync(user);
            return Results.Ok(new MessageResponse("Account deleted."));
        }).RequireReverification("strict_mfa");
    }
}
