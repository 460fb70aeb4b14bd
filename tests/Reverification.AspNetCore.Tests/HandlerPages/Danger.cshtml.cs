using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reverification.AspNetCore.Tests.HandlerPages;

/// <summary>
/// The mistake the start-up check refuses: a requirement on a handler method, which Razor Pages ignores (a POST with
/// <c>?handler=Danger</c> would run <see cref="OnPostDanger"/> for any signed-in caller).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class DangerModel : PageModel
{
    public string Message { get; private set; } = string.Empty;

    public void OnGet() => Message = "danger page";

    [RequireReverification("strict")]
    public IActionResult OnPostDanger() => Content("danger ran");

    [RequireApproval("strict")]
    public IActionResult OnPostPay() => Content("paid");

    /// <summary>Not a handler: Razor Pages never runs it, so its attribute is irrelevant.</summary>
    [NonHandler]
    [RequireReverification("strict")]
    public void Helper() => Message = "helper";
}
