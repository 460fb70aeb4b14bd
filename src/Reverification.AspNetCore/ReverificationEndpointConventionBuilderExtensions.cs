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

    /// <summary>
    /// Requires a one-time approval of each request at the named level, binding the method, path, query and body bytes,
    /// without a summary (see <see cref="RequireApprovalAttribute"/>).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The endpoint builder.</param>
    /// <param name="level">A preset's name or one the app registered.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is not a valid level name.</exception>
    public static TBuilder RequireApproval<TBuilder>(this TBuilder builder, string level)
        where TBuilder : IEndpointConventionBuilder
        => builder.Require(new RequireApprovalAttribute(level), level);

    /// <summary>
    /// Requires a one-time approval of each request at the named level (see <see cref="RequireApprovalAttribute"/>): the
    /// endpoint gets the same metadata as the attribute.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The endpoint builder.</param>
    /// <param name="level">A preset's name or one the app registered.</param>
    /// <param name="summary">The fixed text the user approves, or <see langword="null"/>.</param>
    /// <param name="fields">Top-level JSON body fields to bind instead of the body bytes; none binds the whole body.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is not a valid level name, or a field name is empty or repeated.</exception>
    public static TBuilder RequireApproval<TBuilder>(this TBuilder builder, string level, string? summary, params string[] fields)
        where TBuilder : IEndpointConventionBuilder
        => builder.Require(new RequireApprovalAttribute(level) { Summary = summary, Fields = fields }, level);

    /// <summary>
    /// Requires a one-time approval of each request at the named level, with a summary computed from the request (for
    /// example "Send 25.00 EUR to Carol" from the bound fields <c>amount</c> and <c>payee</c>).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The endpoint builder.</param>
    /// <param name="level">A preset's name or one the app registered.</param>
    /// <param name="summary">Computes the text the user approves; called when an approval is issued.</param>
    /// <param name="fields">Top-level JSON body fields to bind instead of the body bytes; none binds the whole body.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is not a valid level name, or a field name is empty or repeated.</exception>
    public static TBuilder RequireApproval<TBuilder>(this TBuilder builder, string level, Func<ApprovalSummaryContext, string?> summary, params string[] fields)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(summary);
        return builder.Require(new RequireApprovalAttribute(level) { SummaryFactory = summary, Fields = fields }, level);
    }

    private static TBuilder Require<TBuilder>(this TBuilder builder, object attribute, string level)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint.ApplicationServices.GetService<ReverificationService>() is null)
            {
                throw new InvalidOperationException(
                    $"The endpoint '{endpoint.DisplayName}' requires a one-time approval at level '{level}', but reverification services are not registered. "
                    + "Call builder.Services.AddReverification() (or AddReverification(options => ...)) when you configure services.");
            }

            endpoint.Metadata.Add(attribute);
        });
        return builder;
    }

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
