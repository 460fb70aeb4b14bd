using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;

namespace Reverification.Identity.Tests.Infrastructure.Pages;

/// <summary>The root component of the razor components endpoint in <see cref="RazorComponentPageTests"/>: a router and its route view.</summary>
public sealed class TestRoot : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddComponentParameter(3, nameof(Router.AppAssembly), typeof(TestRoot).Assembly);
        builder.AddComponentParameter(4, nameof(Router.Found), (RenderFragment<RouteData>)(routeData => b =>
        {
            b.OpenComponent<RouteView>(0);
            b.AddComponentParameter(1, nameof(RouteView.RouteData), routeData);
            b.CloseComponent();
        }));
        builder.CloseComponent();
        builder.CloseElement();
        builder.CloseElement();
    }
}
