using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Reverification.AspNetCore.Tests;

[ApiController]
[Route("mvc")]
[Authorize]
public sealed class AccountController : ControllerBase
{
    [HttpPost("delete")]
    [RequireReverification("strict_mfa")]
    public IActionResult DeleteAccount() => Ok("deleted");

    [HttpGet("open")]
    public IActionResult Open() => Ok("open");

    [HttpGet("imperative")]
    public IActionResult Imperative()
        => HttpContext.HasReverified("strict") ? Ok("ok") : ReverificationResults.Required("strict");
}

/// <summary>Attribute on the class and on an action: both must pass.</summary>
[ApiController]
[Route("mvc/settings")]
[RequireReverification("lax")]
public sealed class SettingsController : ControllerBase
{
    [HttpGet("view")]
    public IActionResult View() => Ok("view");

    [HttpPost("security")]
    [RequireReverification("strict")]
    public IActionResult Security() => Ok("security");

    [HttpGet("public")]
    [AllowAnonymous]
    public IActionResult Public() => Ok("public");
}

[ApiController]
[Route("mvc/admin")]
[Authorize(Roles = "admin")]
[RequireReverification("strict")]
public sealed class AdminController : ControllerBase
{
    [HttpPost]
    public IActionResult Post() => Ok("admin");
}

[ApiController]
[Route("mvc/unknown")]
public sealed class UnknownLevelController : ControllerBase
{
    [HttpPost]
    [RequireReverification("typo_level")]
    public IActionResult Post() => Ok();
}
