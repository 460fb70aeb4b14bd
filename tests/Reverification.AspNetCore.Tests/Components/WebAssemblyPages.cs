using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Reverification.Blazor;

namespace Reverification.AspNetCore.Tests.Components;

/// <summary>A page as a WebAssembly project writes it: Reverification.Blazor's attribute, not the server package's.</summary>
public abstract class WebAssemblyPage : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "h1");
        builder.AddContent(1, $"{GetType().Name} content");
        builder.CloseElement();
    }
}

[Route("/wasm/strict")]
[RequireReverificationPage("strict")]
public sealed class StrictWebAssemblyPage : WebAssemblyPage;

[Route("/wasm/inline")]
[RequireReverificationPage(Reverification.Client.ReverificationFactors.SecondFactor, 5)]
public sealed class InlineWebAssemblyPage : WebAssemblyPage;

[Route("/wasm/two-levels")]
[RequireReverificationPage("lax")]
[RequireReverificationPage("strict_mfa")]
public sealed class TwoLevelsWebAssemblyPage : WebAssemblyPage;

[Route("/wasm/plain")]
public sealed class PlainWebAssemblyPage : WebAssemblyPage;

/// <summary>
/// The root of the razor components endpoint: a router with <see cref="ReverificationGuard"/> around the route view, as
/// docs/blazor.md puts it. Rendered statically, so what shows is what the guard decides on a static render.
/// </summary>
public sealed class GuardedRoot : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddComponentParameter(3, nameof(Router.AppAssembly), typeof(GuardedRoot).Assembly);
        builder.AddComponentParameter(4, nameof(Router.Found), (RenderFragment<RouteData>)(routeData => b =>
        {
            b.OpenComponent<ReverificationGuard>(0);
            b.AddComponentParameter(1, nameof(ReverificationGuard.RouteData), routeData);
            b.AddComponentParameter(2, nameof(ReverificationGuard.ChildContent), (RenderFragment<RouteData>)(route => v =>
            {
                v.OpenComponent<RouteView>(0);
                v.AddComponentParameter(1, nameof(RouteView.RouteData), route);
                v.CloseComponent();
            }));
            b.CloseComponent();
        }));
        builder.CloseComponent();
        builder.CloseElement();
        builder.CloseElement();
    }
}
