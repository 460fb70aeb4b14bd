using System.Text.Json;

namespace Reverification.Sample.Client.Api;

// The JSON shapes shared by the sample's API (server project) and its UI (this project).

/// <summary>Sign-in: the email, the password and, for an account with an authenticator app, its code (or a recovery code).</summary>
public sealed record SignInRequest(string Email, string Password, string? Code);

/// <summary>A successful sign-in: Identity's application cookie is set.</summary>
public sealed record SignInResponse(string Status)
{
    public const string SignedIn = "signed_in";
}

/// <summary>An error the UI shows as is.</summary>
public sealed record ApiError(string Error, string Message);

public sealed record TransferRequest(string To, decimal Amount);

public sealed record TransferView(int Id, string To, decimal Amount, DateTimeOffset CreatedAt);

public sealed record TransferResult(TransferView Transfer, decimal Balance);

public sealed record ProfileUpdate(string DisplayName);

public sealed record AccountView(
    string Email,
    string DisplayName,
    bool TwoFactorEnabled,
    decimal Balance,
    IReadOnlyList<TransferView> Transfers,
    DateTimeOffset ServerTime,
    DateTimeOffset? FirstFactorVerifiedAt,
    DateTimeOffset? SecondFactorVerifiedAt,
    string? AccountNumber = null);

public sealed record MessageResponse(string Message);

/// <summary>The account settings page: the second factors the account has.</summary>
public sealed record SettingsView(string Email, bool TwoFactorEnabled, int RecoveryCodesLeft, IReadOnlyList<PasskeyView> Passkeys);

/// <summary>A passkey of the account; <see cref="Id"/> is its credential id, base64url.</summary>
public sealed record PasskeyView(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A new password (the reverification is the proof of identity).</summary>
public sealed record PasswordChange(string NewPassword);

/// <summary>A new authenticator key (grouped by four, and as an <c>otpauth://</c> URI) and new recovery codes, shown once.</summary>
public sealed record AuthenticatorSetup(string SharedKey, string AuthenticatorUri, IReadOnlyList<string> RecoveryCodes);

/// <summary>A WebAuthn credential as <c>PublicKeyCredential.toJSON()</c> gives it, and a name for a new passkey.</summary>
public sealed record PasskeyCredential(JsonElement Credential, string? Name);
