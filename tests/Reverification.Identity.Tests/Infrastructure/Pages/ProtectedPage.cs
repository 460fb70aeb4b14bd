using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Reverification.AspNetCore;

namespace Reverification.Identity.Tests.Infrastructure.Pages;

/// <summary>A routable component of the server project with the server package's attribute.</summary>
[Route("/protected-page")]
[RequireReverification("strict")]
public sealed class ProtectedPage : ComponentBase
{
    public const string Content = "Protected page content";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "h1");
        builder.AddContent(1, Content);
        builder.CloseElement();
    }
}
