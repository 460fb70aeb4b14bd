using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Reverification.AspNetCore;
using Reverification.Sample.Api;
using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Controllers;

/// <summary>The same protected operations as <see cref="BankEndpoints"/>, as controller actions with attributes.</summary>
[ApiController]
[Authorize]
[Route("api/mvc")]
public sealed class BankController(BankService bank) : ControllerBase
{
    [HttpPost("transfers")]
    [RequireReverification("strict")]
    public async Task<ActionResult<TransferResult>> Transfer(TransferRequest request)
    {
        if (await bank.FindAsync(User) is not { } user)
        {
            return Unauthorized();
        }

        var (result, error) = await bank.TransferAsync(user, request);
        return result is not null ? result : BadRequest(error);
    }

    [HttpPut("profile")]
    [RequireReverification("moderate")]
    public async Task<ActionResult<MessageResponse>> UpdateProfile(ProfileUpdate update)
    {
        if (await bank.FindAsync(User) is not { } user)
        {
            return Unauthorized();
        }

        var error = await bank.UpdateProfileAsync(user, update);
        return error is null ? new MessageResponse(BankService.ProfileChangedMessage(user.DisplayName)) : BadRequest(error);
    }

    [HttpDelete("account")]
    [RequireReverification("strict_mfa")]
    public async Task<ActionResult<MessageResponse>> DeleteAccount()
    {
        if (await bank.FindAsync(User) is not { } user)
        {
            return Unauthorized();
        }

        await bank.DeleteAccountAsync(user);
        return new MessageResponse("Account deleted.");
    }
}
