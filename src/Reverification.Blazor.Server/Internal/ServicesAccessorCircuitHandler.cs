using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Reverification.Blazor.Server.Internal;

/// <summary>
/// Sets <see cref="CircuitServicesAccessor.Services"/> to the circuit's scope for each inbound activity of the circuit
/// (an event handler, a JS interop call, a render), so that it flows (AsyncLocal) into the HTTP calls made from there.
/// </summary>
internal sealed class ServicesAccessorCircuitHandler(IServiceProvider services, CircuitServicesAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next)
        => async context =>
        {
            accessor.Services = services;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                accessor.Services = null;
            }
        };
}
