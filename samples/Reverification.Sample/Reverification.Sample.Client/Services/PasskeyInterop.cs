using System.Text.Json;
using Microsoft.JSInterop;

namespace Reverification.Sample.Client.Services;

/// <summary>The result of a WebAuthn call: the credential as JSON, or a message to show.</summary>
public readonly record struct PasskeyResult(JsonElement? Json, string? Error);

/// <summary>
/// The browser's WebAuthn API (<c>navigator.credentials.create()</c> and <c>get()</c>) through <c>js/passkeys.js</c>:
/// it turns Identity's options JSON into the API's options and the credential back into JSON
/// (<c>PublicKeyCredential.parseCreationOptionsFromJSON</c>, <c>toJSON()</c>).
/// </summary>
public sealed class PasskeyInterop(IJSRuntime js)
{
    // Imported once per scope; in WebAssembly the scope is the page's, so the module lives as long as the page.
    private IJSObjectReference? _module;

    public Task<PasskeyResult> CreateAsync(string optionsJson) => CallAsync("createCredential", optionsJson);

    public Task<PasskeyResult> GetAsync(string optionsJson) => CallAsync("getCredential", optionsJson);

    private async Task<PasskeyResult> CallAsync(string function, string optionsJson)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/passkeys.js");
        var answer = await _module.InvokeAsync<PasskeyAnswer>(function, optionsJson);
        if (answer.Credential is { } json)
        {
            using var document = JsonDocument.Parse(json);
            return new(document.RootElement.Clone(), null);
        }

        return new(null, answer.Error ?? "The passkey could not be used.");
    }

    private sealed class PasskeyAnswer
    {
        public string? Credential { get; set; }

        public string? Error { get; set; }
    }
}
