using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reverification.Identity.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the reverification endpoints of an ASP.NET Core Identity app.
/// </summary>
public static class IdentityReverificationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the endpoints that verify the signed-in user again and record it: <c>GET {prefix}/methods</c>, and
    /// <c>POST {prefix}/password</c> (<c>{"password":"..."}</c>, first factor), <c>/authenticator</c>
    /// (<c>{"code":"123456"}</c>, second factor), <c>/recovery-code</c> (<c>{"code":"..."}</c>, second factor, used
    /// up), <c>/passkey/options</c> and <c>/passkey</c> (<c>{"credential":{...}}</c>; both factors with user
    /// verification, the second without); <c>GET {prefix}/check?level=strict</c> (<c>204</c> when the caller's credential
    /// satisfies the level, otherwise the reverification answer), and <c>POST {prefix}/receipt</c> (the credential's
    /// verification claims as a two-minute data-protected receipt, for a Blazor Server circuit of the same user).
    /// </summary>
    /// <typeparam name="TUser">The app's Identity user type, as given to <c>AddIdentityReverification</c>.</typeparam>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix. Default: <c>/reverify</c>.</param>
    /// <returns>The route group, to add conventions (CORS, an authorization policy).</returns>
    /// <exception cref="InvalidOperationException"><c>AddIdentityReverification&lt;TUser&gt;</c> was not called.</exception>
    /// <remarks>
    /// <para>
    /// Every endpoint requires an authenticated user: an anonymous caller gets the 401 challenge (cookie apps too: no
    /// redirect to the login page). Every POST takes a JSON body with <c>Content-Type: application/json</c>, which a
    /// cross-site HTML form cannot send without a CORS preflight; that, with the SameSite=Lax cookie Identity issues,
    /// is the protection against cross-site request forgery, so no antiforgery token is asked for. Do not allow other
    /// origins with credentials in CORS for these paths.
    /// </para>
    /// <para>
    /// A success answers <c>204</c> with the refreshed cookie, the new token pair (bearer tokens), or what
    /// <c>IssueToken</c> returns. Failures are problem details with a <c>reason</c>: <c>400</c> for bad input, a wrong
    /// answer (counted against Identity's lockout) or a replayed code; <c>429</c> with <c>Retry-After</c> when the
    /// account is locked out (with <c>lockoutEnd</c>) or over the per-account attempt limit.
    /// </para>
    /// <para>
    /// Passkeys go through Identity's <c>SignInManager</c>, which keeps the challenge in its two-factor user id cookie
    /// between <c>/passkey/options</c> and <c>/passkey</c>: clients on bearer tokens keep that cookie too. Identity
    /// checks user verification when <c>IdentityPasskeyOptions.UserVerificationRequirement</c> is <c>required</c> (its
    /// default); the factors recorded follow the assertion's own user-verified flag.
    /// </para>
    /// </remarks>
    public static RouteGroupBuilder MapReverificationEndpoints<TUser>(this IEndpointRouteBuilder endpoints, string prefix = "/reverify")
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } isService
            && !isService.IsService(typeof(IdentityReverificationHandler<TUser>)))
        {
            throw new InvalidOperationException(
                $"MapReverificationEndpoints<{typeof(TUser).Name}> needs its services: call builder.Services.AddIdentityReverification<{typeof(TUser).Name}>() first.");
        }

        var group = endpoints.MapGroup(prefix);
        group.RequireAuthorization().DisableCookieRedirect();
        group.MapGet("/methods", Handle(static (h, c) => h.GetMethodsAsync(c)));
        group.MapPost("/password", Handle(static (h, c) => h.VerifyPasswordAsync(c)));
        group.MapPost("/authenticator", Handle(static (h, c) => h.VerifyAuthenticatorAsync(c)));
        group.MapPost("/recovery-code", Handle(static (h, c) => h.VerifyRecoveryCodeAsync(c)));
        group.MapPost("/passkey/options", Handle(static (h, c) => h.GetPasskeyOptionsAsync(c)));
        group.MapPost("/passkey", Handle(static (h, c) => h.VerifyPasskeyAsync(c)));
        group.MapGet("/check", Handle(static (h, c) => h.CheckAsync(c)));
        group.MapPost("/receipt", Handle(static (h, c) => h.CreateReceiptAsync(c)));
        return group;

        static RequestDelegate Handle(Func<IdentityReverificationHandler<TUser>, HttpContext, Task<IResult>> handle)
            => async context =>
            {
                var handler = context.RequestServices.GetRequiredService<IdentityReverificationHandler<TUser>>();
                var result = await handle(handler, context).ConfigureAwait(false);
                await result.ExecuteAsync(context).ConfigureAwait(false);
            };
    }
}
