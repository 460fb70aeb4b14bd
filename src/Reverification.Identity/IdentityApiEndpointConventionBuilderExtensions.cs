using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Protects the account-management endpoints of Identity's <c>MapIdentityApi</c> with reverification.
/// </summary>
public static class IdentityApiEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires reverification at <paramref name="level"/> on the state-changing account-management endpoints of
    /// <c>MapIdentityApi</c>: every <c>POST {prefix}/manage/...</c> (<c>/manage/info</c>: a new email or password;
    /// <c>/manage/2fa</c>: enabling, disabling or resetting two-factor authentication, new recovery codes). Reads
    /// (<c>GET /manage/info</c>) and the endpoints outside <c>/manage</c> (<c>/login</c>, <c>/refresh</c>,
    /// <c>/register</c>, ...) are left alone.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder <c>MapIdentityApi</c> returns, or a group that contains it.</param>
    /// <param name="level">
    /// A preset's name (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>) or one the app registered.
    /// Default: <c>strict</c>.
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is null, empty or not a valid level name.</exception>
    /// <remarks>
    /// <para>
    /// An endpoint is protected when its method is <c>POST</c>, it requires authorization (as <c>MapIdentityApi</c>'s
    /// <c>/manage</c> group does) and the segment before its last one is <c>manage</c>; so a prefix such as
    /// <c>MapGroup("/manage").MapIdentityApi&lt;TUser&gt;()</c> leaves <c>/manage/login</c> alone.
    /// </para>
    /// <para>
    /// <c>POST /manage/2fa</c> with an empty body (<c>{}</c>) only reads the two-factor status, but its answer carries the
    /// authenticator's shared key (the second factor's secret) and it creates one when the account has none: it needs
    /// the level too. <c>POST /manage/info</c> with an empty body changes nothing but is protected as well; read the
    /// account with <c>GET /manage/info</c>.
    /// </para>
    /// </remarks>
    public static TBuilder RequireReverificationForAccountChanges<TBuilder>(this TBuilder builder, string level = ReverificationLevel.StrictName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var attribute = new RequireReverificationAttribute(level);

        // Finally: the /manage group's own conventions (RequireAuthorization) have run, so the metadata is complete.
        builder.Finally(endpoint =>
        {
            if (!IsAccountChange(endpoint))
            {
                return;
            }

            if (endpoint.ApplicationServices.GetService<IReverificationService>() is null)
            {
                throw new InvalidOperationException(
                    $"The endpoint '{endpoint.DisplayName}' requires reverification, but reverification services are not registered. "
                    + "Call builder.Services.AddReverification() (or AddIdentityReverification<TUser>()) when you configure services.");
            }

            endpoint.Metadata.Add(attribute);
        });
        return builder;
    }

    private static bool IsAccountChange(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder route)
        {
            return false;
        }

        var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault();
        if (methods is null || !methods.HttpMethods.Contains(HttpMethods.Post, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!endpoint.Metadata.OfType<IAuthorizeData>().Any())
        {
            return false;
        }

        var segments = route.RoutePattern.PathSegments;
        return segments.Count >= 2
            && segments[^2].Parts is [RoutePatternLiteralPart { Content: var content }]
            && string.Equals(content, "manage", StringComparison.OrdinalIgnoreCase);
    }
}
