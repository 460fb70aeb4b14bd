using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Reverification.AspNetCore;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Data;

namespace Reverification.Sample.Api;

/// <summary>
/// The account settings, protected as Clerk's UserProfile protects them: a new password needs <c>strict</c>;
/// resetting the authenticator (new key and recovery codes), adding or removing a passkey and deleting the account need
/// <c>strict_mfa</c>. The requirement is on the endpoints: the server decides, whatever the UI shows.
/// </summary>
/// <remarks>
/// A new password, a new authenticator key and a removed passkey change the user's security stamp: Reverification.Identity
/// then stops counting the verification times recorded before (the next protected action asks again), and
/// <see cref="SignInManager{TUser}.RefreshSignInAsync"/> keeps this browser signed in (it keeps the times as they were,
/// so they stay revoked).
/// </remarks>
public static class SettingsEndpoints
{
    private const int MaxCredentialLength = 16 * 1024;
    private const int MaxPasskeyNameLength = 60;

    public static void MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/settings").RequireAuthorization();

        settings.MapGet("", async (HttpContext http, UserManager<SampleUser> users) =>
            await users.GetUserAsync(http.User) is { } user ? Results.Ok(await ReadAsync(users, user)) : Results.Unauthorized());

        settings.MapPost("/password", async (PasswordChange request, HttpContext http, UserManager<SampleUser> users, SignInManager<SampleUser> signIn) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            if (string.IsNullOrEmpty(request.NewPassword) || request.NewPassword.Length > 256)
            {
                return Results.BadRequest(new ApiError("invalid_password", "Enter a new password."));
            }

            // The reverification (strict) is the proof of identity, as in Clerk's UserProfile: no current password asked.
            // Identity's password-reset token is made and used here, in one request.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, request.NewPassword);
            if (!result.Succeeded)
            {
                return Results.BadRequest(new ApiError("invalid_password", string.Join(" ", result.Errors.Select(e => e.Description))));
            }

            await signIn.RefreshSignInAsync(user);
            return Results.Ok(new MessageResponse("Password changed. Your earlier verifications no longer count."));
        }).RequireReverification("strict");

        settings.MapPost("/authenticator/reset", async (HttpContext http, UserManager<SampleUser> users, SignInManager<SampleUser> signIn) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            var reset = await users.ResetAuthenticatorKeyAsync(user);
            if (!reset.Succeeded)
            {
                return Results.BadRequest(new ApiError("reset_failed", "The authenticator could not be reset. Try again."));
            }

            if (!await users.GetTwoFactorEnabledAsync(user))
            {
                await users.SetTwoFactorEnabledAsync(user, true);
            }

            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
            var key = await users.GetAuthenticatorKeyAsync(user) ?? "";
            await signIn.RefreshSignInAsync(user);
            return Results.Ok(new AuthenticatorSetup(FormatKey(key), AuthenticatorUri(user.Email ?? user.Id, key), [.. codes]));
        }).RequireReverification("strict_mfa");

        settings.MapPost("/passkeys/options", async (HttpContext http, UserManager<SampleUser> users, SignInManager<SampleUser> signIn) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            var entity = new PasskeyUserEntity
            {
                Id = await users.GetUserIdAsync(user),
                Name = user.Email ?? user.Id,
                DisplayName = user.DisplayName,
            };
            return Results.Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
        }).RequireReverification("strict_mfa");

        settings.MapPost("/passkeys", async (PasskeyCredential request, HttpContext http, UserManager<SampleUser> users, SignInManager<SampleUser> signIn) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            if (request.Credential.ValueKind != JsonValueKind.Object || request.Credential.GetRawText().Length > MaxCredentialLength)
            {
                return Results.BadRequest(new ApiError("invalid_request", "Send the credential from navigator.credentials.create() in the field 'credential'."));
            }

            PasskeyAttestationResult attestation;
            try
            {
                attestation = await signIn.PerformPasskeyAttestationAsync(request.Credential.GetRawText());
            }
            catch (InvalidOperationException)
            {
                return Results.BadRequest(new ApiError("invalid_request", "The passkey request expired. Try again."));
            }

            if (!attestation.Succeeded || attestation.UserEntity.Id != await users.GetUserIdAsync(user))
            {
                return Results.BadRequest(new ApiError("invalid_passkey", "The passkey could not be added. Try again."));
            }

            var name = string.IsNullOrWhiteSpace(request.Name) ? "Passkey" : request.Name.Trim();
            attestation.Passkey.Name = name.Length > MaxPasskeyNameLength ? name[..MaxPasskeyNameLength] : name;
            var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
            return added.Succeeded
                ? Results.Ok(new MessageResponse($"Passkey \"{attestation.Passkey.Name}\" added."))
                : Results.BadRequest(new ApiError("invalid_passkey", string.Join(" ", added.Errors.Select(e => e.Description))));
        }).RequireReverification("strict_mfa");

        settings.MapDelete("/passkeys/{id}", async (string id, HttpContext http, UserManager<SampleUser> users, SignInManager<SampleUser> signIn) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }

            byte[] credentialId;
            try
            {
                credentialId = WebEncoders.Base64UrlDecode(id);
            }
            catch (FormatException)
            {
                return Results.BadRequest(new ApiError("invalid_request", "Unknown passkey."));
            }

            if (credentialId.Length is 0 or > 1024 || await users.GetPasskeyAsync(user, credentialId) is null)
            {
                return Results.NotFound(new ApiError("not_found", "Unknown passkey."));
            }

            var removed = await users.RemovePasskeyAsync(user, credentialId);
            if (!removed.Succeeded)
            {
                return Results.BadRequest(new ApiError("remove_failed", "The passkey could not be removed. Try again."));
            }

            await signIn.RefreshSignInAsync(user);
            return Results.Ok(new MessageResponse("Passkey removed. Your earlier verifications no longer count."));
        }).RequireReverification("strict_mfa");
    }

    private static async Task<SettingsView> ReadAsync(UserManager<SampleUser> users, SampleUser user)
    {
        var twoFactor = await users.GetTwoFactorEnabledAsync(user);
        var passkeys = await users.GetPasskeysAsync(user);
        return new SettingsView(
            user.Email ?? "",
            twoFactor,
            twoFactor ? await users.CountRecoveryCodesAsync(user) : 0,
            [.. passkeys.OrderBy(p => p.CreatedAt).Select(p => new PasskeyView(WebEncoders.Base64UrlEncode(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt))]);
    }

    /// <summary>The key in groups of four, as authenticator apps show it.</summary>
    private static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>The <c>otpauth://</c> URI an authenticator app reads from a QR code.</summary>
    private static string AuthenticatorUri(string account, string key)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString("Reverification sample")}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString("Reverification sample")}&digits=6");
}
