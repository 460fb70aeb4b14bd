using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Reads the cookie ticket a request carries exactly as it was stored: from the cookie itself (or the cookie's session
/// store), not from <see cref="HttpContext.User"/> or <c>AuthenticateAsync</c>, whose principal the app's
/// <see cref="IClaimsTransformation"/> has added to (often in place).
/// </summary>
internal static class CookieTicketReader
{
    /// <summary>The claim that holds the session key when the cookie handler uses an <see cref="ITicketStore"/>.</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    /// <summary>How many forwarding hops (policy schemes, <c>ForwardAuthenticate</c>) are followed at most.</summary>
    private const int MaxForwards = 8;

    /// <summary>
    /// The cookie scheme that <paramref name="scheme"/> (or the default authenticate scheme) ends at, following policy
    /// schemes and <c>ForwardAuthenticate</c>/<c>ForwardDefault</c>/<c>ForwardDefaultSelector</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such scheme, or it is not (and does not forward to) a cookie scheme.</exception>
    public static async Task<string> ResolveCookieSchemeAsync(HttpContext context, string? scheme)
    {
        var services = context.RequestServices;
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        var name = scheme ?? (await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false))?.Name
            ?? throw new InvalidOperationException(
                "No authentication scheme was given and there is no default authenticate scheme. Pass the cookie scheme's name to RecordReverificationAsync.");

        for (var hop = 0; hop <= MaxForwards; hop++)
        {
            var found = await schemes.GetSchemeAsync(name).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No authentication scheme is named '{name}'.");
            string? target;
            if (typeof(CookieAuthenticationHandler).IsAssignableFrom(found.HandlerType))
            {
                target = Forward(services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(name), context);
                if (target is null)
                {
                    return name;
                }
            }
            else if (typeof(PolicySchemeHandler).IsAssignableFrom(found.HandlerType))
            {
                target = Forward(services.GetRequiredService<IOptionsMonitor<PolicySchemeOptions>>().Get(name), context)
                    ?? throw new InvalidOperationException($"The policy scheme '{name}' forwards to no scheme for this request.");
            }
            else
            {
                throw new InvalidOperationException(
                    $"The authentication scheme '{name}' is handled by {found.HandlerType.Name}, not by the cookie handler: RecordReverificationAsync "
                    + "refreshes a cookie ticket. Pass the cookie scheme's name, or, for bearer tokens, issue a new token with the claims of "
                    + "ReverificationRecorder.CreateClaims.");
            }

            name = target;
        }

        throw new InvalidOperationException($"The authentication scheme '{scheme}' forwards more than {MaxForwards} times.");
    }

    /// <summary>The ticket as stored, or <see langword="null"/> when the request carries none that can be read.</summary>
    public static async Task<AuthenticationTicket?> ReadStoredTicketAsync(HttpContext context, string cookieScheme)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(cookieScheme);
        if (options.Cookie.Name is not { } cookieName || options.CookieManager.GetRequestCookie(context, cookieName) is not { Length: > 0 } cookie)
        {
            return null;
        }

        // As the cookie handler reads it (including its TLS token binding, when the connection has one).
        var binding = context.Features.Get<ITlsTokenBindingFeature>()?.GetProvidedTokenBindingId();
        var ticket = options.TicketDataFormat.Unprotect(cookie, binding is null ? null : Convert.ToBase64String(binding));
        if (ticket is null || options.SessionStore is null)
        {
            return ticket;
        }

        var sessionId = ticket.Principal.FindFirst(SessionIdClaim)?.Value;
        return sessionId is null ? null : await options.SessionStore.RetrieveAsync(sessionId, context, context.RequestAborted).ConfigureAwait(false);
    }

    private static string? Forward(AuthenticationSchemeOptions options, HttpContext context)
        => options.ForwardAuthenticate ?? options.ForwardDefaultSelector?.Invoke(context) ?? options.ForwardDefault;
}
