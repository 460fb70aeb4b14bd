using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore;

/// <summary>
/// Chooses the claim format reverification reads the verification times from. The last call wins; without one, the
/// library's own timestamp claims are read (<see cref="UseTimestamps"/>).
/// </summary>
/// <remarks>
/// Each format validates its own options when the application starts, with a message that says what to change.
/// </remarks>
public static class ReverificationOptionsExtensions
{
    /// <summary>
    /// Reads the library's own format (the default): one claim per factor holding the Unix time, in seconds, of its
    /// last verification. <see cref="ReverificationRecorder"/> writes it.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="configure">Changes the claim types; optional.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseTimestamps(this ReverificationOptions options, Action<TimestampClaimsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = new TimestampClaimsOptions();
        configure?.Invoke(format);
        options.ClaimsFormat = Timestamps(format);
        return options;
    }

    /// <summary>
    /// Reads Clerk's session token: <c>fva</c> = <c>[first factor minutes, second factor minutes]</c> as of <c>iat</c>,
    /// <c>-1</c> for never.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="configure">Changes the claim type; optional.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseClerkFva(this ReverificationOptions options, Action<ClerkFvaClaimsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = new ClerkFvaClaimsOptions();
        configure?.Invoke(format);
        options.ClaimsFormat = new ClaimsFormat("ClerkFva", _ => new ClerkFvaClaimsReader(format.ClaimType), format.Validate, format.ClaimType, format.ClaimType);
        return options;
    }

    /// <summary>
    /// Reads OpenID Connect's <c>auth_time</c> and <c>amr</c>: the first factor at <c>auth_time</c>, and the second
    /// factor at <c>auth_time</c> too when <c>amr</c> holds a second-factor method.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="configure">Changes which <c>amr</c> values count as a second factor; optional.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseOpenIdConnect(this ReverificationOptions options, Action<OpenIdConnectClaimsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = new OpenIdConnectClaimsOptions();
        configure?.Invoke(format);
        options.ClaimsFormat = new ClaimsFormat(
            "OpenIdConnect", _ => new OpenIdConnectClaimsReader(format.SecondFactorMethods), format.Validate, OpenIdConnectClaimsReader.AuthTime, OpenIdConnectClaimsReader.Amr);
        return options;
    }

    /// <summary>
    /// Reads Supabase-style <c>amr</c>: <c>{"method": "...", "timestamp": N}</c> objects, the newest timestamp of each
    /// factor group counting.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="configure">Changes which methods count as which factor; optional.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseSupabaseAmr(this ReverificationOptions options, Action<SupabaseAmrClaimsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = new SupabaseAmrClaimsOptions();
        configure?.Invoke(format);
        options.ClaimsFormat = new ClaimsFormat(
            "SupabaseAmr", _ => new SupabaseAmrClaimsReader(format.FirstFactorMethods, format.SecondFactorMethods), format.Validate, OpenIdConnectClaimsReader.Amr, OpenIdConnectClaimsReader.Amr);
        return options;
    }

    /// <summary>
    /// Reads a claim format of the app's own with <paramref name="reader"/>.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="reader">The reader; it must be safe to call concurrently.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseClaimsReader(this ReverificationOptions options, IVerificationClaimsReader reader)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reader);
        options.ClaimsFormat = Custom(reader.GetType(), _ => reader);
        return options;
    }

    /// <summary>
    /// Reads a claim format of the app's own with a <typeparamref name="TReader"/> created once from the application's
    /// services (its constructor may take any registered service).
    /// </summary>
    /// <typeparam name="TReader">The reader type; it must be safe to call concurrently.</typeparam>
    /// <param name="options">The options.</param>
    /// <returns>The options, for chaining.</returns>
    public static ReverificationOptions UseClaimsReader<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TReader>(this ReverificationOptions options)
        where TReader : class, IVerificationClaimsReader
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ClaimsFormat = Custom(typeof(TReader), static services => ActivatorUtilities.CreateInstance<TReader>(services));
        return options;
    }

    internal static ClaimsFormat Timestamps(TimestampClaimsOptions format)
        => new("Timestamps", _ => new TimestampClaimsReader(format.FirstFactorClaimType, format.SecondFactorClaimType), format.Validate, format.FirstFactorClaimType, format.SecondFactorClaimType)
        {
            Timestamps = format,
        };

    private static ClaimsFormat Custom(Type type, Func<IServiceProvider, IVerificationClaimsReader> create)
        => new($"custom ({type.Name})", create, static _ => { }, null, null);
}
