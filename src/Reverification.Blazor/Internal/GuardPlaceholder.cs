using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Reverification.Blazor.Internal;

/// <summary>
/// What <see cref="ReverificationGuard"/> gives the route view in place of a page that is not (yet) allowed: rendered
/// inside the app's layout (so that the layout's dialog is there to prompt), it shows the guard's state.
/// </summary>
internal sealed class GuardPlaceholder : ComponentBase
{
    [Parameter]
    public ReverificationGuard Guard { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder) => Guard.RenderState(builder);
}
