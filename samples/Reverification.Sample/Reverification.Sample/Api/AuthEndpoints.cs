using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;

namespace Reverification.Sample.Api;

/// <summary>
/// Sign-in and sign-out with Identity's application cookie. Verifying again is Reverification.Identity's
/// <c>/reverify/*</c> endpoints (<c>MapReverificationEndpoints</c> in Program.cs); the sample checks no password or
/// code by hand.
/// </summary>
public static class AuthEndpoints
{
    public const string SignInRateLimitPolicy = "signin";

    /// <summary>The longest passkey credential JSON accepted (a real assertion is well under 4 KB).</summary>
    private const int MaxCredentialLength = 16 * 1024;

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");

        // Email, password and (accounts with an authenticator app) the code in one request: see SignInService.
        auth.MapPost("/signin", (SignInRequest request, SignInService signIn) => signIn.SignInAsync(request))
            .AllowAnonymous().RequireRateLimiting(SignInRateLimitPolicy);

        // Passkey sign-in with Identity's own PasskeySignInAsync: ReverificationSignInManager records both factors when
        // the authenticator verified the user (PIN, biometrics), the second factor otherwise.
        auth.MapPost("/passkey/options", async (SignInManager<SampleUser> signIn)
                => Results.Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json"))
            .AllowAnonymous().RequireRateLimiting(SignInRateLimitPolicy);
        auth.MapPost("/passkey", async (PasskeyCredential request, SignInManager<SampleUser> signIn) =>
        {
            if (request.Credential.ValueKind != JsonValueKind.Object || request.Credential.GetRawText().Length > MaxCredentialLength)
            {
                return Results.BadRequest(new ApiError("invalid_request", "Send the credential from navigator.credentials.get() in the field 'credential'."));
            }

            SignInResult result;
            try
            {
                result = await signIn.PasskeySignInAsync(request.Credential.GetRawText());
            }
            catch (InvalidOperationException)
            {
                // No passkey request underway (no options cookie, or it expired).
                return Results.BadRequest(new ApiError("invalid_request", "The passkey request expired. Try again."));
            }
            catch (JsonException)
            {
                return Results.BadRequest(new ApiError("invalid_request", "The passkey answer is not valid."));
            }

            return result.Succeeded ? Results.Ok(new SignInResponse(SignInResponse.SignedIn))
                : result.IsLockedOut ? Results.Json(new ApiError("locked_out", "Too many failed attempts: this account is locked for now."), statusCode: StatusCodes.Status429TooManyRequests)
                : Results.Json(new ApiError("invalid_passkey", "That passkey could not be used to sign in."), statusCode: StatusCodes.Status401Unauthorized);
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimitPolicy);

        auth.MapPost("/signout", async (SignInManager<SampleUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.NoContent();
        });
    }
}
