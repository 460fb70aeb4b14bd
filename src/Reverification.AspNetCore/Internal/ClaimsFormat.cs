using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// A claim format chosen with one of the <c>Use...</c> extensions on <see cref="ReverificationOptions"/>: how to create
/// its reader, how to validate its own options at start-up, and which claims it reads (for log messages).
/// </summary>
internal sealed class ClaimsFormat(
    string name,
    Func<IServiceProvider, IVerificationClaimsReader> createReader,
    Action<ValidateOptionsResultBuilder> validate,
    string? firstFactorClaimType,
    string? secondFactorClaimType)
{
    /// <summary>The format's name in log messages.</summary>
    public string Name { get; } = name;

    /// <summary>The claim a first-factor time comes from, for log messages; <see langword="null"/> when unknown.</summary>
    public string? FirstFactorClaimType { get; } = firstFactorClaimType;

    /// <summary>The claim a second-factor time comes from, for log messages; <see langword="null"/> when unknown.</summary>
    public string? SecondFactorClaimType { get; } = secondFactorClaimType;

    /// <summary>The options of the timestamps format, which <see cref="ReverificationRecorder"/> writes; otherwise <see langword="null"/>.</summary>
    public TimestampClaimsOptions? Timestamps { get; init; }

    public IVerificationClaimsReader CreateReader(IServiceProvider services) => createReader(services);

    public void Validate(ValidateOptionsResultBuilder builder) => validate(builder);
}
