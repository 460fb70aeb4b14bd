using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Reverification.Blazor;

namespace Reverification.Identity.Tests.Infrastructure.Pages;

/// <summary>
/// A host page that renders the router itself, as a <c>_Host</c> fallback or a <c>RazorComponentResult</c> does: its
/// endpoint does not carry the page's attributes. The guard is around the route view.
/// </summary>
public sealed class GuardedHostRoot : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddComponentParameter(3, nameof(Router.AppAssembly), typeof(GuardedHostRoot).Assembly);
        builder.AddComponentParameter(4, nameof(Router.Found), (RenderFragment<RouteData>)(routeData => b =>
        {
            b.OpenComponent<ReverificationGuard>(0);
            b.AddComponentParameter(1, nameof(ReverificationGuard.RouteData), routeData);
            b.AddComponentParameter(2, nameof(ReverificationGuard.ChildContent), (RenderFragment<RouteData>)(data => v =>
            {
                v.OpenComponent<RouteView>(0);
                v.AddComponentParameter(1, nameof(RouteView.RouteData), data);
                v.CloseComponent();
            }));
            b.CloseComponent();
        }));
        builder.CloseComponent();
        builder.CloseElement();
        builder.CloseElement();
    }
}
