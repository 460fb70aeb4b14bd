using System.Net;
using System.Net.Http.Json;
using Reverification.Sample.Client.Api;

namespace Reverification.Sample.Client.Services;

/// <summary>The result of a call: a value, or a message to show.</summary>
public sealed record ApiResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The sample's API. Protected calls go through the <see cref="ApiClient"/> client, whose reverification handler
/// prompts and retries; it throws <see cref="Reverification.Client.ReverificationCancelledException"/> when the user
/// cancels. Sign-in and reverify go through <see cref="AuthClient"/>, which has no reverification handler.
/// </summary>
public sealed class SampleApi(IHttpClientFactory clients, SessionState session)
{
    public const string ApiClient = "api";
    public const string AuthClient = "auth";

    public async Task<ApiResult<SignInResponse>> SignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).PostAsJsonAsync("api/auth/signin", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new(null, await ReadErrorAsync(response, cancellationToken));
        }

        var result = await response.Content.ReadFromJsonAsync<SignInResponse>(cancellationToken);
        if (result?.AccessToken is { } token)
        {
            session.SetToken(token);
            await RefreshAccountAsync(cancellationToken);
        }

        return new(result, null);
    }

    /// <summary>Checks the password and/or code; on success the session holds the new token.</summary>
    public async Task<string?> ReverifyAsync(ReverifyRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(AuthClient).PostAsJsonAsync("api/auth/reverify", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return await ReadErrorAsync(response, cancellationToken);
        }

        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        session.SetToken(token!.AccessToken);
        return null;
    }

    public async Task RefreshAccountAsync(CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).GetAsync("api/account", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            session.SignOut();
            return;
        }

        response.EnsureSuccessStatusCode();
        session.SetAccount((await response.Content.ReadFromJsonAsync<AccountView>(cancellationToken))!);
    }

    public async Task<ApiResult<TransferResult>> TransferAsync(TransferRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await clients.CreateClient(ApiClient).PostAsJsonAsync("api/transfers", request, cancellationToken);
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

    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => response.IsSuccessStatusCode
            ? new((await response.Content.ReadFromJsonAsync<T>(cancellationToken))!, null)
            : new(default, await ReadErrorAsync(response, cancellationToken));

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            // The handler retried once and the server still asks for reverification: it does not loop.
            return "The server still asks for a recent verification. Try again.";
        }

        try
        {
            var error = await response.Content.ReadFromJsonAsync<ApiError>(cancellationToken);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                return error.Message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not one of the sample's errors; fall through.
        }

        return $"The request failed ({(int)response.StatusCode} {response.ReasonPhrase}).";
    }
}
