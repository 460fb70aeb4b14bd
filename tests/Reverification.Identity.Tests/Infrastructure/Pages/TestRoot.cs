using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Reverification.Blazor;

namespace Reverification.Identity.Tests.Infrastructure.Pages;

/// <summary>The root component of the razor components endpoint in <see cref="RazorComponentPageTests"/>: a router and its route view.</summary>
public class TestRoot : ComponentBase
{
    /// <summary>Whether <see cref="ReverificationGuard"/> wraps the route view.</summary>
    protected virtual bool Guarded => false;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddComponentParameter(3, nameof(Router.AppAssembly), typeof(TestRoot).Assembly);
        builder.AddComponentParameter(4, nameof(Router.Found), (RenderFragment<RouteData>)(routeData => b =>
        {
            if (!Guarded)
            {
                RouteView(b, routeData);
                return;
            }

            b.OpenComponent<ReverificationGuard>(0);
            b.AddComponentParameter(1, nameof(ReverificationGuard.RouteData), routeData);
            b.AddComponentParameter(2, nameof(ReverificationGuard.ChildContent), (RenderFragment<RouteData>)(data => v => RouteView(v, data)));
            b.CloseComponent();
        }));
        builder.CloseComponent();
        builder.CloseElement();
        builder.CloseElement();
    }

    private static void RouteView(RenderTreeBuilder builder, RouteData routeData)
    {
        builder.OpenComponent<RouteView>(0);
        builder.AddComponentParameter(1, nameof(Microsoft.AspNetCore.Components.RouteView.RouteData), routeData);
        builder.CloseComponent();
    }
}
