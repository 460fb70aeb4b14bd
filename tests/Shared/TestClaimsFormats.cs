using System.Security.Claims;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Reverification.Testing;

/// <summary>The four built-in claim formats, by name, for tests, benchmarks and the fuzzer that run each of them.</summary>
public enum VerificationClaimsFormat
{
    Timestamps,
    ClerkFva,
    OpenIdConnect,
    SupabaseAmr,
}

internal static class TestClaimsFormats
{
    /// <summary>Chooses <paramref name="format"/> with its default options, as an app would with <c>UseXxx()</c>.</summary>
    public static ReverificationOptions Use(this ReverificationOptions options, VerificationClaimsFormat format) => format switch
    {
        VerificationClaimsFormat.Timestamps => options.UseTimestamps(),
        VerificationClaimsFormat.ClerkFva => options.UseClerkFva(),
        VerificationClaimsFormat.OpenIdConnect => options.UseOpenIdConnect(),
        VerificationClaimsFormat.SupabaseAmr => options.UseSupabaseAmr(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The reader of the options' claim format (the built-in formats need no services).</summary>
    public static IVerificationClaimsReader CreateReader(this ReverificationOptions options)
        => options.ClaimsFormat.CreateReader(EmptyServices.Instance);

    /// <summary>The reader of <paramref name="format"/> with its default options.</summary>
    public static IVerificationClaimsReader CreateReader(VerificationClaimsFormat format)
        => new ReverificationOptions().Use(format).CreateReader();

    /// <summary>Reads the first authenticated identity of <paramref name="principal"/> (a reader reads one identity).</summary>
    public static VerificationTimes Read(this IVerificationClaimsReader reader, ClaimsPrincipal principal)
        => principal.Identities.FirstOrDefault(static i => i.IsAuthenticated) is { } identity ? reader.Read(identity) : VerificationTimes.Missing;

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
