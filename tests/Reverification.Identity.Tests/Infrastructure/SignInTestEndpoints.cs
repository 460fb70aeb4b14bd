using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Reverification.AspNetCore;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// Test-only endpoints for sign-in recording, mapped with <c>IdentityTestApp.StartAsync(endpoints: SignInTestEndpoints.Map)</c>:
/// <list type="bullet">
/// <item><c>GET /test/times</c>: the verification claims of the request's principal, as authorization sees them.</item>
/// <item><c>GET /test/authenticate-twice</c>: two <c>AuthenticateAsync</c> calls; whether each saw the times.</item>
/// <item><c>POST /test/core-record</c>: the core's <c>RecordReverificationAsync</c> (no stamp binding).</item>
/// <item><c>POST /test/refresh-sign-in</c>: <c>SignInManager.RefreshSignInAsync</c> for the signed-in user.</item>
/// <item><c>POST /test/record/{factors}</c>: <c>ReverificationSignInManager.RecordVerificationAsync</c>.</item>
/// <item><c>POST /test/external-sign-in</c>: <c>ExternalLoginSignInAsync</c> with a login the test added.</item>
/// <item><c>POST /test/two-factor</c>: <c>TwoFactorAuthenticatorSignInAsync</c>, the step after an external login.</item>
/// <item><c>POST /test/passkey/options</c> and <c>/test/passkey/sign-in</c>: Identity's passkey sign-in over
/// <see cref="FakePasskeyHandler"/>.</item>
/// </list>
/// </summary>
public static class SignInTestEndpoints
{
    public const string ExternalProvider = "TestProvider";

    public static void Map(WebApplication app)
    {
        app.MapGet("/test/times", static (HttpContext context) => Results.Json(VerificationClaims.From(context.User)));

        app.MapGet("/test/authenticate-twice", static async (HttpContext context) =>
        {
            // Two authentications in one request, as code that calls AuthenticateAsync itself does.
            var first = await context.AuthenticateAsync();
            var second = await context.AuthenticateAsync();
            static string State(AuthenticateResult r) => r.Principal?.FindFirst("f1_verified_at") is null ? "revoked" : "counted";
            return Results.Text($"{State(first)} {State(second)}");
        });

        app.MapPost("/test/core-record", static async (HttpContext context) =>
        {
            await context.RecordReverificationAsync(ReverificationFactors.MultiFactor);
            return Results.NoContent();
        });

        app.MapPost("/test/refresh-sign-in", static async (HttpContext context, SignInManager<TestUser> signIn) =>
        {
            var user = await signIn.UserManager.GetUserAsync(context.User);
            if (user is null)
            {
                return Results.Unauthorized();
            }

            await signIn.RefreshSignInAsync(user);
            return Results.NoContent();
        });

        app.MapPost("/test/record/{factors}", static async (ReverificationFactors factors, HttpContext context, SignInManager<TestUser> signIn) =>
        {
            var user = await signIn.UserManager.GetUserAsync(context.User);
            if (user is null || signIn is not ReverificationSignInManager<TestUser> manager)
            {
                return Results.Unauthorized();
            }

            return await manager.RecordVerificationAsync(user, factors) ? Results.NoContent() : Results.Conflict();
        });

        app.MapPost("/test/external-sign-in", static async (ExternalSignIn request, SignInManager<TestUser> signIn) =>
        {
            var user = await signIn.UserManager.FindByEmailAsync(request.Email);
            if (user is null)
            {
                return Results.Unauthorized();
            }

            var key = $"key-{user.Id}";
            if (await signIn.UserManager.FindByLoginAsync(ExternalProvider, key) is null)
            {
                await signIn.UserManager.AddLoginAsync(user, new UserLoginInfo(ExternalProvider, key, "Test provider"));
            }

            var result = await signIn.ExternalLoginSignInAsync(ExternalProvider, key, isPersistent: false, bypassTwoFactor: request.BypassTwoFactor);
            return result.Succeeded ? Results.Ok() : Results.Problem(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
        });

        app.MapPost("/test/two-factor", static async (TwoFactorCode request, SignInManager<TestUser> signIn) =>
        {
            var result = await signIn.TwoFactorAuthenticatorSignInAsync(request.Code, isPersistent: false, rememberClient: false);
            return result.Succeeded ? Results.Ok() : Results.Problem(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
        });

        app.MapPost("/test/passkey/options", static async (ExternalSignIn request, SignInManager<TestUser> signIn) =>
        {
            var user = await signIn.UserManager.FindByEmailAsync(request.Email);
            return Results.Content(await signIn.MakePasskeyRequestOptionsAsync(user), "application/json");
        });

        app.MapPost("/test/passkey/sign-in", static async (HttpContext context, SignInManager<TestUser> signIn) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var result = await signIn.PasskeySignInAsync(await reader.ReadToEndAsync());
            return result.Succeeded ? Results.Ok() : Results.Problem(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
        });
    }

    public sealed record ExternalSignIn(string Email, bool BypassTwoFactor = false);

    public sealed record TwoFactorCode(string Code);
}
