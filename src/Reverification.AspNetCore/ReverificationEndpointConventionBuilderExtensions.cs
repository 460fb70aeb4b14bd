using Reverification.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Requires reverification on endpoints and groups.
/// </summary>
public static class ReverificationEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires the named reverification level on the endpoint(s): the same metadata as
    /// <see cref="RequireReverificationAttribute"/>. On a group, it applies to every endpoint of the group.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">An endpoint or group builder.</param>
    /// <param name="level">A preset's name (<c>strict_mfa</c>, <c>strict</c>, <c>moderate</c>, <c>lax</c>) or one the app registered.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder RequireReverification<TBuilder>(this TBuilder builder, string level)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequireReverificationAttribute(level));
    }

    /// <summary>
    /// Requires an inline (unnamed) reverification level on the endpoint(s).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">An endpoint or group builder.</param>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than zero; fractions allowed.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder RequireReverification<TBuilder>(this TBuilder builder, ReverificationFactors factors, double maxAgeMinutes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequireReverificationAttribute(factors, maxAgeMinutes));
    }

    /// <summary>
    /// Requires <paramref name="level"/> on the endpoint(s).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">An endpoint or group builder.</param>
    /// <param name="level">The level.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder RequireReverification<TBuilder>(this TBuilder builder, ReverificationLevel level)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequireReverificationAttribute(level));
    }
}
