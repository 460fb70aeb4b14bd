using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reverification.AspNetCore.Tests.Pages;

[RequireReverification("strict")]
public sealed class SudoModel : PageModel
{
    public string Message { get; private set; } = string.Empty;

    public void OnGet() => Message = "sudo page";
}
