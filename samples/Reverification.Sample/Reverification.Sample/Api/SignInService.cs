using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;

namespace Reverification.Sample.Api;

/// <summary>
/// Signs a user in with one request carrying the email, the password and, for an account with an authenticator app,
/// the code; the answer never says which of them was wrong.
/// </summary>
/// <remarks>
/// <para>
/// Identity's two-step flow (<c>PasswordSignInAsync</c> answering <c>RequiresTwoFactor</c>, then
/// <c>TwoFactorAuthenticatorSignInAsync</c>) tells whoever sends a password whether it was right: the first step answers
/// "two factor required" and sets Identity's two-factor cookie only for a right password. Here a right password alone
/// changes nothing on the wire for an account with an authenticator: the answer is the same as for a wrong one.
/// </para>
/// <para>
/// The checks are Identity's own: <see cref="SignInManager{TUser}.CheckPasswordSignInAsync"/> (lockout first, then the
/// password, a failure counted against the account), then the authenticator code through
/// <see cref="UserManager{TUser}.VerifyTwoFactorTokenAsync"/>, which Reverification.Identity made single-use (the same
/// provider its reverification endpoints use), or a recovery code, used up. A missing or wrong code is counted with
/// <see cref="UserManager{TUser}.AccessFailedAsync"/>. The sign-in itself goes through
/// <see cref="SignInManager{TUser}.SignInWithClaimsAsync(TUser, bool, IEnumerable{Claim})"/> with the <c>amr</c> claims
/// Identity's own flow adds (<c>pwd</c>, and <c>mfa</c> after the second factor), so that
/// <c>ReverificationSignInManager</c> records what was verified.
/// </para>
/// </remarks>
public sealed partial class SignInService(SignInManager<SampleUser> signIn, UserManager<SampleUser> users, TimeProvider clock, ILogger<SignInService> logger)
{
    /// <summary>The longest recovery code or authenticator code input accepted.</summary>
    private const int MaxCodeLength = 64;

    public const string InvalidMessage = "The email, password or code is not correct.";

    /// <summary>
    /// Without a code: the same words for a wrong password (any account) and a right password of an account with an
    /// authenticator app. The non-breaking hyphen (U+2011) keeps "6-digit" on one line.
    /// </summary>
    public const string InvalidWithoutCodeMessage = "The email or password is not correct, or this account also needs the 6\u2011digit code from its authenticator app.";

    public async Task<IResult> SignInAsync(SignInRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = request.Code?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        var hasCode = !string.IsNullOrEmpty(code);
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256
            || string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024
            || (code?.Length ?? 0) > MaxCodeLength)
        {
            return Invalid(hasCode);
        }

        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            // Hash anyway, so that an unknown email takes about as long as a known one.
            users.PasswordHasher.HashPassword(new SampleUser(), request.Password);
            return Invalid(hasCode);
        }

        var password = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (password.IsLockedOut)
        {
            return LockedOut(await users.GetLockoutEndDateAsync(user));
        }

        if (!password.Succeeded)
        {
            return Invalid(hasCode);
        }

        List<Claim> amr = [new("amr", "pwd")];
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            if (!hasCode || !await VerifySecondFactorAsync(user, code!))
            {
                await users.AccessFailedAsync(user);
                return await users.IsLockedOutAsync(user) ? LockedOut(await users.GetLockoutEndDateAsync(user)) : Invalid(hasCode);
            }

            if (!(await users.ResetAccessFailedCountAsync(user)).Succeeded)
            {
                // A concurrent failure was being counted: as Identity's SignInManager does, this sign-in does not pass.
                return Invalid(hasCode);
            }

            amr.Add(new("amr", "mfa"));
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, amr);
        SignedIn(logger, user.Id, amr.Count == 2 ? "password and second factor" : "password");
        return Results.Ok(new SignInResponse(SignInResponse.SignedIn));
    }

    /// <summary>A six-digit authenticator code (single-use), or else a recovery code (used up).</summary>
    private async Task<bool> VerifySecondFactorAsync(SampleUser user, string code)
        => code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded;

    [LoggerMessage(EventId = 1, EventName = "SignedIn", Level = LogLevel.Information, Message = "User {UserId} signed in ({Factors}).")]
    private static partial void SignedIn(ILogger logger, string userId, string factors);

    private static IResult Invalid(bool hadCode) => Results.Json(
        new ApiError(hadCode ? "invalid_sign_in" : "invalid_sign_in_without_code", hadCode ? InvalidMessage : InvalidWithoutCodeMessage),
        statusCode: StatusCodes.Status401Unauthorized);

    private IResult LockedOut(DateTimeOffset? end)
    {
        var until = end is { } e && e < clock.GetUtcNow().AddYears(1)
            ? $" Try again after {e.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC."
            : "";
        return Results.Json(
            new ApiError("locked_out", "Too many failed attempts: this account is locked for now." + until),
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
