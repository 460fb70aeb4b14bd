namespace Reverification.Identity.Tests.Infrastructure.Pages;

/// <summary>
/// A host page that renders the router itself, as a <c>_Host</c> fallback or a <c>RazorComponentResult</c> does: its
/// endpoint does not carry the page's attributes. The guard is around the route view.
/// </summary>
public sealed class GuardedHostRoot : TestRoot
{
    protected override bool Guarded => true;
}
