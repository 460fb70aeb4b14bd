using Microsoft.AspNetCore.Identity;
using Reverification.AspNetCore;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;
using Reverification.Sample.Security;

namespace Reverification.Sample.Api;

/// <summary>
/// Sign-in and reverification. Both check the password and the authenticator code with ASP.NET Core Identity's own
/// APIs and are rate limited (<see cref="SignInRateLimitPolicy"/>, <see cref="ReverifyRateLimitPolicy"/>).
/// </summary>
public static class AuthEndpoints
{
    public const string SignInRateLimitPolicy = "signin";
    public const string ReverifyRateLimitPolicy = "reverify";

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");

        auth.MapPost("/signin", async (SignInRequest request, UserManager<SampleUser> users, TokenIssuer tokens) =>
        {
            var user = await users.FindByEmailAsync(request.Email ?? "");
            if (user is null || !await users.CheckPasswordAsync(user, request.Password ?? ""))
            {
                return Results.Json(new ApiError("invalid_credentials", "The email or password is not correct."), statusCode: StatusCodes.Status401Unauthorized);
            }

            if (!user.TwoFactorEnabled)
            {
                return Results.Ok(new SignInResponse(SignInResponse.SignedIn, tokens.Issue(user, ReverificationFactors.FirstFactor, null), null));
            }

            if (string.IsNullOrWhiteSpace(request.Code))
            {
                return Results.Ok(new SignInResponse(SignInResponse.TwoFactorRequired, null, "Enter the 6-digit code from your authenticator app."));
            }

            if (!await VerifyCodeAsync(users, user, request.Code))
            {
                return Results.Json(new ApiError("invalid_code", "That code is not valid. Enter the current 6-digit code from your authenticator app."), statusCode: StatusCodes.Status401Unauthorized);
            }

            return Results.Ok(new SignInResponse(SignInResponse.SignedIn, tokens.Issue(user, ReverificationFactors.MultiFactor, null), null));
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimitPolicy);

        // Reverify: the signed-in user proves again what the level asked for. The new token keeps the time of a factor
        // not verified now (ReverificationRecorder.CreateClaims reads it from the current token).
        auth.MapPost("/reverify", async (ReverifyRequest request, HttpContext http, UserManager<SampleUser> users, TokenIssuer tokens) =>
        {
            if (TokenIssuer.ReadUserId(http.User) is not { } id || await users.FindByIdAsync(id) is not { } user)
            {
                return Results.Unauthorized();
            }

            var hasPassword = !string.IsNullOrEmpty(request.Password);
            var hasCode = !string.IsNullOrWhiteSpace(request.Code);
            if (!hasPassword && !hasCode)
            {
                return Results.BadRequest(new ApiError("missing_credentials", "Enter your password or your authenticator code."));
            }

            if (hasCode && !user.TwoFactorEnabled)
            {
                return Results.BadRequest(new ApiError("no_second_factor", "This account has no authenticator app; enter your password."));
            }

            if (hasPassword && !await users.CheckPasswordAsync(user, request.Password!))
            {
                return Results.BadRequest(new ApiError("invalid_password", "The password is not correct."));
            }

            if (hasCode && !await VerifyCodeAsync(users, user, request.Code!))
            {
                return Results.BadRequest(new ApiError("invalid_code", "That code is not valid. Enter the current 6-digit code from your authenticator app."));
            }

            var verified = (hasPassword, hasCode) switch
            {
                (true, true) => ReverificationFactors.MultiFactor,
                (true, false) => ReverificationFactors.FirstFactor,
                _ => ReverificationFactors.SecondFactor,
            };
            return Results.Ok(new TokenResponse(tokens.Issue(user, verified, http.User)));
        }).RequireAuthorization().RequireRateLimiting(ReverifyRateLimitPolicy);
    }

    private static Task<bool> VerifyCodeAsync(UserManager<SampleUser> users, SampleUser user, string code)
        => users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code.Replace(" ", "", StringComparison.Ordinal).Trim());
}
