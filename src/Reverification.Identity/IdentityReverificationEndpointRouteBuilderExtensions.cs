using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the reverification endpoints of an ASP.NET Core Identity app.
/// </summary>
public static class IdentityReverificationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the endpoints that verify the signed-in user again and record it: <c>GET {prefix}/methods</c>, and
    /// <c>POST {prefix}/password</c>, <c>/authenticator</c>, <c>/recovery-code</c>, <c>/passkey/options</c> and
    /// <c>/passkey</c>.
    /// </summary>
    /// <typeparam name="TUser">The app's Identity user type, as given to <c>AddIdentityReverification</c>.</typeparam>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix. Default: <c>/reverify</c>.</param>
    /// <returns>The route group, to add conventions (CORS, rate limiting, an authorization policy).</returns>
    /// <remarks>
    /// Every endpoint requires an authenticated user (an anonymous caller gets the usual 401 challenge) and every POST
    /// takes a JSON body with <c>Content-Type: application/json</c>, which a cross-site HTML form cannot send without a
    /// CORS preflight.
    /// </remarks>
    public static RouteGroupBuilder MapReverificationEndpoints<TUser>(this IEndpointRouteBuilder endpoints, string prefix = "/reverify")
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);

        var group = endpoints.MapGroup(prefix);
        group.RequireAuthorization();
        return group;
    }
}
