using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Requires reverification on minimal API endpoints, route groups and any other endpoint builder.
/// </summary>
public static class ReverificationEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires the named level on the endpoint (or on every endpoint of a group). The endpoint gets the same metadata
    /// as <see cref="RequireReverificationAttribute"/>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The endpoint or group builder.</param>
    /// <param name="level">A preset's name (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>) or one the app registered.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is null, empty or not a valid level name.</exception>
    /// <remarks>
    /// When the endpoints are built, an application that never called <c>AddReverification()</c> fails with an
    /// exception that says so, instead of refusing every request with a bare 403.
    /// </remarks>
    public static TBuilder RequireReverification<TBuilder>(this TBuilder builder, string level)
        where TBuilder : IEndpointConventionBuilder
        => builder.Require(new RequireReverificationAttribute(level));

    /// <summary>
    /// Requires an inline (unnamed) level on the endpoint (or on every endpoint of a group).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The endpoint or group builder.</param>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than zero; fractions such as 2.5 are allowed.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static TBuilder RequireReverification<TBuilder>(this TBuilder builder, ReverificationFactors factors, double maxAgeMinutes)
        where TBuilder : IEndpointConventionBuilder
        => builder.Require(new RequireReverificationAttribute(factors, maxAgeMinutes));

    private static TBuilder Require<TBuilder>(this TBuilder builder, RequireReverificationAttribute attribute)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint.ApplicationServices.GetService<ReverificationService>() is null)
            {
                throw new InvalidOperationException(
                    $"The endpoint '{endpoint.DisplayName}' requires reverification, but reverification services are not registered. "
                    + "Call builder.Services.AddReverification() (or AddReverification(options => ...)) when you configure services.");
            }

            endpoint.Metadata.Add(attribute);
        });
        return builder;
    }
}
