namespace Reverification.Client;

/// <summary>
/// Picks, for each request, the prompt of the user the request is made for: for handlers shared by several users, such
/// as the handlers <see cref="System.Net.Http.IHttpClientFactory"/> builds in a Blazor Server app, where each circuit
/// has its own dialog. Reverification.Blazor.Server registers one that finds the current circuit's dialog.
/// </summary>
/// <remarks>
/// When one is registered, <c>AddReverificationHandler()</c> uses it instead of the <see cref="IReverificationPrompt"/>
/// service. Concurrent requests share a prompt only when the resolver gives them the same instance, so two users never
/// share one.
/// </remarks>
public interface IReverificationPromptResolver
{
    /// <summary>The prompt for the request being sent now, or <see langword="null"/> when there is none.</summary>
    /// <returns>The prompt; <see langword="null"/> makes a request that needs reverification fail with <see cref="InvalidOperationException"/>.</returns>
    IReverificationPrompt? Resolve();
}
