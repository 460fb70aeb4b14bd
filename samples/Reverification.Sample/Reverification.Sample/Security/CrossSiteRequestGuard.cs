using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Security;

/// <summary>
/// Refuses state-changing requests that a browser marks as coming from another site. The sample authenticates with a
/// cookie, so this is one of its defences against cross-site request forgery, beside the cookie's
/// <c>SameSite=Strict</c> and the JSON bodies its API takes (docs/sample.md, "Cookies and cross-site requests").
/// </summary>
/// <remarks>
/// Browsers send <c>Sec-Fetch-Site</c> (Fetch Metadata) and <c>Origin</c> with every POST, PUT, PATCH and DELETE. A
/// request whose <c>Sec-Fetch-Site</c> is anything but <c>same-origin</c>, or whose <c>Origin</c> is not this app's,
/// gets <c>403</c>. Clients that are not browsers (curl, the tests' <see cref="HttpClient"/>) send neither header and
/// pass: they carry no victim's cookie unless given one.
/// </remarks>
public sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            return next(context);
        }

        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        var origin = context.Request.Headers.Origin.ToString();
        var crossSite = (site.Length > 0 && !string.Equals(site, "same-origin", StringComparison.Ordinal))
            || (origin.Length > 0 && !IsSameOrigin(context.Request, origin));
        if (!crossSite)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(new ApiError("cross_site_request", "Requests from other sites are not accepted."));
    }

    private static bool IsSameOrigin(HttpRequest request, string origin)
        => Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
