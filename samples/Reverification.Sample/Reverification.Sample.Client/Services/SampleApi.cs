using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Client.Services;

/// <summary>The result of a call: a value, or a message to show (and the server's error code, when it sent one).</summary>
public sealed record ApiResult<T>(T? Value, string? Error, string? ErrorCode = null)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The sample's API. Protected calls go through the <see cref="ApiClient"/> client, whose reverification handler
/// prompts and retries; it throws <see cref="Reverification.Client.ReverificationCancelledException"/> when the user
/// cancels. Sign-in and the <c>/reverify/*</c> calls go through <see cref="AuthClient"/>, which has no reverification
/// handler. Both send Identity's cookie (same-origin requests), never a token the page can read.
/// </summary>
public sealed class SampleApi(IHttpClientFactory clients, SessionState session, PasskeyInterop passkeys)
{
    public const string ApiClient = "api";
    public const string AuthClient = "auth";

    public async Task<ApiResult<SignInResponse>> SignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).PostAsJsonAsync("api/auth/signin", request, cancellationToken);
        return await CompleteSignInAsync(response, cancellationToken);
    }

    /// <summary>Signs in with a passkey (a discoverable credential: no email asked).</summary>
    public async Task<ApiResult<SignInResponse>> SignInWithPasskeyAsync(CancellationToken cancellationToken = default)
    {
        var auth = clients.CreateClient(AuthClient);
        using var options = await auth.PostAsync("api/auth/passkey/options", JsonContent.Create(new { }), cancellationToken);
        if (!options.IsSuccessStatusCode)
        {
            return new(null, await ReadErrorAsync(options, cancellationToken));
        }

        var credential = await passkeys.GetAsync(await options.Content.ReadAsStringAsync(cancellationToken));
        if (credential.Error is { } error)
        {
            return new(null, error);
        }

        using var response = await auth.PostAsJsonAsync("api/auth/passkey", new PasskeyCredential(credential.Json!.Value, null), cancellationToken);
        return await CompleteSignInAsync(response, cancellationToken);
    }

    public async Task SignOutAsync(string? notice = null, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).PostAsync("api/auth/signout", JsonContent.Create(new { }), cancellationToken);
        session.SignOut(notice);
    }

    /// <summary>The methods the account can verify with, and each factor's age (Reverification.Identity's endpoint).</summary>
    public async Task<ReverifyMethods?> RefreshMethodsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).GetAsync("reverify/methods", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var methods = await response.Content.ReadFromJsonAsync<ReverifyMethods>(cancellationToken);
        if (methods is not null)
        {
            session.SetMethods(methods);
        }

        return methods;
    }

    /// <summary>
    /// Verifies again with <paramref name="method"/> (<c>password</c>, <c>authenticator</c>, <c>recovery-code</c>):
    /// Reverification.Identity checks it with Identity and refreshes the cookie. Null on success, else the message.
    /// </summary>
    public async Task<string?> ReverifyAsync(string method, object body, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).PostAsJsonAsync($"reverify/{method}", body, cancellationToken);
        return response.IsSuccessStatusCode ? null : await ReadErrorAsync(response, cancellationToken);
    }

    /// <summary>Verifies again with a passkey of the account. Null on success, else the message.</summary>
    public async Task<string?> ReverifyWithPasskeyAsync(CancellationToken cancellationToken = default)
    {
        var auth = clients.CreateClient(AuthClient);
        using var options = await auth.PostAsync("reverify/passkey/options", JsonContent.Create(new { }), cancellationToken);
        if (!options.IsSuccessStatusCode)
        {
            return await ReadErrorAsync(options, cancellationToken);
        }

        var credential = await passkeys.GetAsync(await options.Content.ReadAsStringAsync(cancellationToken));
        if (credential.Error is { } error)
        {
            return error;
        }

        using var response = await auth.PostAsJsonAsync("reverify/passkey", new { credential = credential.Json!.Value }, cancellationToken);
        return response.IsSuccessStatusCode ? null : await ReadErrorAsync(response, cancellationToken);
    }

    public async Task RefreshAccountAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).GetAsync("api/account", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            session.SignOut(session.Notice);
            return;
        }

        response.EnsureSuccessStatusCode();
        session.SetAccount((await response.Content.ReadFromJsonAsync<AccountView>(cancellationToken))!);
    }

    /// <summary>Transfers above this amount need a one-time approval (the server's <c>BankService.ApprovalThreshold</c>).</summary>
    public const decimal ApprovalThreshold = 500m;

    /// <summary>
    /// A transfer: up to <see cref="ApprovalThreshold"/> to <c>/api/transfers</c> (<c>strict</c>), above it to
    /// <c>/api/transfers/large</c>, where the server asks for a one-time approval of this amount and payee; the
    /// handler prompts with its summary, the form approves it, and the retry carries its id.
    /// </summary>
    public async Task<ApiResult<TransferResult>> TransferAsync(TransferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Amount > ApprovalThreshold ? "api/transfers/large" : "api/transfers";
        using var response = await clients.CreateClient(ApiClient).PostAsJsonAsync(path, request, cancellationToken);
        return await ReadAsync<TransferResult>(response, cancellationToken);
    }

    public async Task<ApiResult<MessageResponse>> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        // The controller form of the API (BankController).
        using var response = await clients.CreateClient(ApiClient).PutAsJsonAsync("api/mvc/profile", update, cancellationToken);
        return await ReadAsync<MessageResponse>(response, cancellationToken);
    }

    public async Task<ApiResult<MessageResponse>> DeleteAccountAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).DeleteAsync("api/mvc/account", cancellationToken);
        return await ReadAsync<MessageResponse>(response, cancellationToken);
    }

    /// <summary>The account statement (<c>strict</c>): the balance, the account number and the transfers.</summary>
    public async Task<ApiResult<AccountView>> GetStatementAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).GetAsync("api/statement", cancellationToken);
        return await ReadAsync<AccountView>(response, cancellationToken);
    }

    public async Task<ApiResult<SettingsView>> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).GetAsync("api/settings", cancellationToken);
        return await ReadAsync<SettingsView>(response, cancellationToken);
    }

    public async Task<ApiResult<MessageResponse>> ChangePasswordAsync(PasswordChange change, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).PostAsJsonAsync("api/settings/password", change, cancellationToken);
        return await ReadAsync<MessageResponse>(response, cancellationToken);
    }

    public async Task<ApiResult<AuthenticatorSetup>> ResetAuthenticatorAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).PostAsJsonAsync("api/settings/authenticator/reset", new { }, cancellationToken);
        return await ReadAsync<AuthenticatorSetup>(response, cancellationToken);
    }

    /// <summary>
    /// Adds a passkey: the creation options (the level is checked here, and the prompt opens when it is stale), the
    /// browser's <c>navigator.credentials.create()</c>, then the new credential (checked again).
    /// </summary>
    public async Task<ApiResult<MessageResponse>> AddPasskeyAsync(string? name, CancellationToken cancellationToken = default)
    {
        var api = clients.CreateClient(ApiClient);
        using var options = await api.PostAsJsonAsync("api/settings/passkeys/options", new { }, cancellationToken);
        if (!options.IsSuccessStatusCode)
        {
            return new(null, await ReadErrorAsync(options, cancellationToken));
        }

        var credential = await passkeys.CreateAsync(await options.Content.ReadAsStringAsync(cancellationToken));
        if (credential.Error is { } error)
        {
            return new(null, error);
        }

        using var response = await api.PostAsJsonAsync("api/settings/passkeys", new PasskeyCredential(credential.Json!.Value, name), cancellationToken);
        return await ReadAsync<MessageResponse>(response, cancellationToken);
    }

    public async Task<ApiResult<MessageResponse>> RemovePasskeyAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).DeleteAsync($"api/settings/passkeys/{Uri.EscapeDataString(id)}", cancellationToken);
        return await ReadAsync<MessageResponse>(response, cancellationToken);
    }

    private async Task<ApiResult<SignInResponse>> CompleteSignInAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var (message, code) = await ReadErrorWithCodeAsync(response, cancellationToken);
            return new(null, message, code);
        }

        var result = await response.Content.ReadFromJsonAsync<SignInResponse>(cancellationToken);
        await RefreshAccountAsync(cancellationToken);
        return new(result, null);
    }

    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => response.IsSuccessStatusCode
            ? new((await response.Content.ReadFromJsonAsync<T>(cancellationToken))!, null)
            : new(default, await ReadErrorAsync(response, cancellationToken));

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => (await ReadErrorWithCodeAsync(response, cancellationToken)).Message;

    /// <summary>
    /// The message of the sample's own errors (<see cref="ApiError"/>) and of Reverification.Identity's problem
    /// details (<c>detail</c>, <c>reason</c>, and <c>lockoutEnd</c> when the account is locked out).
    /// </summary>
    private static async Task<(string Message, string? Code)> ReadErrorWithCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Forbidden && response.Headers.WwwAuthenticate.Count > 0)
        {
            // The handler retried once and the server still asks for reverification: it does not loop.
            return ("The server still asks for a recent verification. Try again.", "reverification_required");
        }

        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (Text(root, "reason") is { } reason)
                {
                    if (reason == "locked_out")
                    {
                        var until = Text(root, "lockoutEnd") is { } end && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                            ? $" Try again after {at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC."
                            : " Try again later.";
                        return ("Too many failed attempts: this account is locked for now." + until, reason);
                    }

                    return (Text(root, "detail") ?? Text(root, "title") ?? "The verification failed.", reason);
                }

                if (Text(root, "message") is { } message)
                {
                    return (message, Text(root, "error"));
                }
            }
        }
        catch (JsonException)
        {
            // Not one of the sample's errors; fall through.
        }

        return ($"The request failed ({(int)response.StatusCode} {response.ReasonPhrase}).", null);
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
