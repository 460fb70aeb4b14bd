using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.Identity.Internal;

/// <summary>
/// Checks at start-up what sign-in recording and revocation rely on, so that a registration made after
/// <c>AddIdentityReverification</c> never turns them off silently: the app reads the timestamp claims, its
/// <see cref="SignInManager{TUser}"/> is a <see cref="ReverificationSignInManager{TUser}"/>, and its
/// <see cref="IClaimsTransformation"/> is the stamp check.
/// </summary>
internal sealed class IdentitySignInStartupFilter<TUser>(IServiceProvider services, IdentityVerificationClaims claims) : IStartupFilter
    where TUser : class
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        Check();
        return next;
    }

    internal void Check()
    {
        try
        {
            claims.EnsureClaimTypes();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                "Reverification.Identity records sign-ins and reverifications in the library's timestamp claims, but " + ex.Message, ex);
        }

        using var scope = services.CreateScope();
        var signIn = scope.ServiceProvider.GetService<SignInManager<TUser>>();
        if (signIn is not null and not ReverificationSignInManager<TUser>)
        {
            throw new InvalidOperationException(
                $"Reverification.Identity records the factors of a sign-in with its own SignInManager<{typeof(TUser).Name}>, but the app registers "
                + $"{signIn.GetType().Name}. Derive {signIn.GetType().Name} from ReverificationSignInManager<{typeof(TUser).Name}> (and call the base "
                + "implementation from its overrides), or call AddIdentityReverification after AddIdentity, AddIdentityApiEndpoints and AddSignInManager.");
        }

        var transformation = scope.ServiceProvider.GetService<IClaimsTransformation>();
        if (transformation is not IdentityStampClaimsTransformation<TUser>)
        {
            throw new InvalidOperationException(
                $"Reverification.Identity checks the security stamp of verification times with an IClaimsTransformation, but the app registered "
                + $"{transformation?.GetType().Name ?? "none"} after AddIdentityReverification, which replaces it. Register the app's IClaimsTransformation "
                + "before calling AddIdentityReverification: it then runs first, and the security-stamp check after it.");
        }
    }
}
