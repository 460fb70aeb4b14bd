using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Razor Pages authorizes a page before it selects the handler method, and takes no authorization metadata from
/// handler methods: a requirement on <c>OnPostDelete</c> would never be enforced. The start-up check refuses it.
/// </summary>
internal static class RazorPageHandlers
{
    /// <summary>
    /// The compiled descriptor of a page's endpoint, or <see langword="null"/> when the endpoint is not a page. Pages
    /// compiled at build time carry it in their metadata; others (runtime compilation) are loaded through the app's
    /// <see cref="PageLoader"/>, as their first request would load them, and the loader keeps them for that request.
    /// </summary>
    public static CompiledPageActionDescriptor? GetCompiled(IServiceProvider services, Endpoint endpoint)
    {
        var page = endpoint.Metadata.GetMetadata<PageActionDescriptor>();
        if (page is null or CompiledPageActionDescriptor)
        {
            return page as CompiledPageActionDescriptor;
        }

        if (services.GetService<PageLoader>() is not { } loader)
        {
            return null;
        }

        try
        {
            // Start-up filters are synchronous.
            return loader.LoadAsync(page, endpoint.Metadata).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A page that does not compile fails its own requests the same way, so none of its handlers can run; it
            // must not stop the app from starting (runtime compilation is for editing pages while the app runs).
            return null;
        }
    }

    /// <summary>One message per handler method of <paramref name="page"/> that carries a reverification requirement.</summary>
    public static IEnumerable<string> MisplacedRequirements(CompiledPageActionDescriptor page)
    {
        var handlerType = page.HandlerTypeInfo;
        var onPage = handlerType == page.PageTypeInfo;
        foreach (var handler in page.HandlerMethods)
        {
            var method = handler.MethodInfo;
            foreach (var data in method.GetCustomAttributes(inherit: true).OfType<IAuthorizationRequirementData>())
            {
                foreach (var requirement in data.GetRequirements())
                {
                    var level = requirement switch
                    {
                        ReverificationRequirement reverification => reverification.Level?.ToString() ?? reverification.LevelName,
                        ApprovalRequirement approval => approval.Level.LevelName,
                        _ => null,
                    };
                    if (level is null)
                    {
                        continue;
                    }

                    var what = requirement is ApprovalRequirement ? $"a one-time approval at level '{level}'" : $"reverification level '{level}'";
                    var remedy = onPage
                        ? "Put it on the page itself instead, with @attribute [RequireReverification(...)] in its .cshtml file (it then covers every handler of the page), "
                            + "or move the handler to a page of its own that carries it."
                        : $"Put it on the PageModel class {handlerType.Name} instead (it then covers every handler of the page), "
                            + "or move the handler to a page of its own whose PageModel class carries it.";
                    yield return $"Razor Page '{page.ViewEnginePath}' requires {what} on its handler method "
                        + $"{handlerType.Name}.{method.Name}, which Razor Pages ignores (it authorizes the page before it picks a handler), "
                        + $"so the handler would run without {(requirement is ApprovalRequirement ? "the approval" : "reverification")}. " + remedy;
                }
            }
        }
    }
}
