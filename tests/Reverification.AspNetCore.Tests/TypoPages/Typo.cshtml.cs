using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reverification.AspNetCore.Tests.TypoPages;

/// <summary>A level name in the wrong case on a PageModel class: refused at start-up with "did you mean".</summary>
[RequireReverification("Strict_MFA")]
public sealed class TypoModel : PageModel
{
    public string Message { get; private set; } = string.Empty;

    public void OnGet() => Message = "typo page";
}
