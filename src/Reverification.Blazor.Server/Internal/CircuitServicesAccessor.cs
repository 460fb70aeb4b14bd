namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// The services of the circuit whose code runs now, for code resolved outside the circuit's scope (the message handlers
/// <see cref="IHttpClientFactory"/> builds in a scope of its own): ASP.NET Core's documented pattern "access server-side
/// Blazor services from a different DI scope", as Duende's access-token-management uses it for tokens.
/// </summary>
internal sealed class CircuitServicesAccessor
{
    // One per app (a singleton); the value flows with the async calls of each circuit's activity.
    private readonly AsyncLocal<IServiceProvider?> _current = new();

    public IServiceProvider? Services
    {
        get => _current.Value;
        set => _current.Value = value;
    }
}
