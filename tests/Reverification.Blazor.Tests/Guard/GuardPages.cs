using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Reverification.Client;

namespace Reverification.Blazor.Tests.Guard;

/// <summary>A page that renders its name, so that a test sees which page is shown.</summary>
public abstract class TestPage : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "h1");
        builder.AddAttribute(1, "data-testid", "page");
        builder.AddContent(2, GetType().Name);
        builder.CloseElement();
    }
}

public sealed class PlainPage : TestPage;

[RequireReverificationPage("strict")]
public sealed class StrictPage : TestPage;

[RequireReverificationPage("strict")]
public sealed class OtherStrictPage : TestPage;

[RequireReverificationPage(ReverificationFactors.SecondFactor, 2.5)]
public sealed class InlinePage : TestPage;

/// <summary>[AllowAnonymous] turns the server's authorization off: the guard cannot take a static render as the server's word.</summary>
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
[RequireReverificationPage("strict")]
public sealed class AnonymousStrictPage : TestPage;

[RequireReverificationPage("lax")]
[RequireReverificationPage("strict_mfa")]
public sealed class TwoLevelsPage : TestPage;

/// <summary>A page of the server project: the server package's attribute, enforced by the server on HTTP requests.</summary>
[Reverification.AspNetCore.RequireReverification("strict")]
public sealed class ServerStrictPage : TestPage;

[Reverification.AspNetCore.RequireReverification(Reverification.AspNetCore.ReverificationFactors.SecondFactor, 5)]
public sealed class ServerInlinePage : TestPage;
