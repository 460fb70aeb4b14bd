using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reverification.AspNetCore.Tests.Pages;

/// <summary>The requirement where Razor Pages enforces it: on the PageModel class, for every handler.</summary>
[RequireReverification("strict")]
[IgnoreAntiforgeryToken]
public sealed class SudoModel : PageModel
{
    public string Message { get; private set; } = string.Empty;

    public void OnGet() => Message = "sudo page";

    public IActionResult OnPostDanger() => Content("danger ran");
}
