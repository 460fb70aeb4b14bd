using Microsoft.JSInterop;

namespace Reverification.Blazor.Internal;

/// <summary>
/// The browser side of <see cref="ReverificationForm"/> (<c>reverificationForm.js</c>): the endpoints are called with
/// the browser's <c>fetch</c>, so that the requests carry the browser's cookies and the refreshed cookie reaches the
/// browser in every render mode (a Blazor Server circuit cannot write cookies).
/// </summary>
internal sealed class FormScript(IJSRuntime js) : IAsyncDisposable
{
    internal const string ModulePath = "./_content/Reverification.Blazor/reverificationForm.js";

    private Task<IJSObjectReference>? _module;

    /// <summary>
    /// Sends a request: with the browser's cookies of the page's origin, or, given <paramref name="options"/>, with its
    /// <c>Authorization</c> header; status 0 when it did not reach the server.
    /// </summary>
    /// <remarks>
    /// The token replaces Blazor Server's default JS interop timeout (one minute): a call ends when the dialog closes.
    /// </remarks>
    public async Task<EndpointResponse> SendAsync(string method, string path, string? body, EndpointRequestOptions? options, CancellationToken cancellationToken)
    {
        var module = await GetModuleAsync().ConfigureAwait(true);
        return await module.InvokeAsync<EndpointResponse>("send", cancellationToken, method, path, body, options).ConfigureAwait(true)
            ?? new EndpointResponse(0, null);
    }

    /// <summary>Runs the WebAuthn ceremony with the options the server made.</summary>
    public async Task<PasskeyCeremony> GetPasskeyAsync(string optionsJson, CancellationToken cancellationToken)
    {
        var module = await GetModuleAsync().ConfigureAwait(true);
        return await module.InvokeAsync<PasskeyCeremony>("getPasskey", cancellationToken, optionsJson).ConfigureAwait(true)
            ?? new PasskeyCeremony(null, "failed");
    }

    public async Task FocusAsync(string id)
    {
        try
        {
            var module = await GetModuleAsync().ConfigureAwait(true);
            await module.InvokeVoidAsync("focus", id).ConfigureAwait(true);
        }
        catch (JSException)
        {
            // Focus is a nicety: the form works without it.
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
        catch (OperationCanceledException)
        {
            // The JS interop call timed out.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            var module = await _module.ConfigureAwait(false);
            await module.DisposeAsync().ConfigureAwait(false);
        }
        catch (JSException)
        {
            // Nothing left to release.
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
        catch (OperationCanceledException)
        {
            // The module goes with the circuit.
        }
    }

    private Task<IJSObjectReference> GetModuleAsync()
        => _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();
}
