using Microsoft.Extensions.DependencyInjection;
using Reverification.Client;

namespace Reverification.Blazor.Server.Internal;

/// <summary>The prompt of the circuit that sends the request: its own <see cref="ReverificationDialogService"/>.</summary>
internal sealed class CircuitPromptResolver(CircuitServicesAccessor accessor) : IReverificationPromptResolver
{
    public IReverificationPrompt? Resolve() => accessor.Services?.GetService<ReverificationDialogService>();
}
