using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>Validates <see cref="ReverificationOptions"/> at start-up, with messages that say what to change.</summary>
internal sealed class ReverificationOptionsValidator : IValidateOptions<ReverificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverificationOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.ClaimsReader is null && !Enum.IsDefined(options.ClaimsFormat))
        {
            builder.AddError($"ClaimsFormat '{options.ClaimsFormat}' is not a known format; use one of {string.Join(", ", Enum.GetNames<VerificationClaimsFormat>())}, or set ClaimsReader.", nameof(options.ClaimsFormat));
        }

        RequireClaimType(builder, options.FirstFactorClaimType, nameof(options.FirstFactorClaimType));
        RequireClaimType(builder, options.SecondFactorClaimType, nameof(options.SecondFactorClaimType));
        RequireClaimType(builder, options.ClerkFvaClaimType, nameof(options.ClerkFvaClaimType));
        if (string.Equals(options.FirstFactorClaimType, options.SecondFactorClaimType, StringComparison.Ordinal))
        {
            builder.AddError("FirstFactorClaimType and SecondFactorClaimType must differ.", nameof(options.SecondFactorClaimType));
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            builder.AddError($"ClockSkew must be between 0 and 10 minutes (it is {options.ClockSkew}); the default is 1 minute.", nameof(options.ClockSkew));
        }

        if (options.RejectionStatusCode is < 400 or > 599)
        {
            builder.AddError($"RejectionStatusCode must be a 4xx or 5xx status code (it is {options.RejectionStatusCode}); the contract's is 403.", nameof(options.RejectionStatusCode));
        }

        if (options.IncludeChallengeHeader && !IsToken(options.ChallengeScheme))
        {
            builder.AddError($"ChallengeScheme must be an HTTP token such as \"Bearer\" (it is \"{options.ChallengeScheme}\").", nameof(options.ChallengeScheme));
        }

        if (options.ReverifyPath.HasValue && string.IsNullOrWhiteSpace(options.ReturnUrlParameter))
        {
            builder.AddError("ReturnUrlParameter must be set when ReverifyPath is set.", nameof(options.ReturnUrlParameter));
        }

        foreach (var method in options.OpenIdConnectSecondFactorMethods.Concat(options.SupabaseFirstFactorMethods).Concat(options.SupabaseSecondFactorMethods))
        {
            if (string.IsNullOrEmpty(method))
            {
                builder.AddError("Authentication method names must not be empty.");
                break;
            }
        }

        var overlap = options.SupabaseFirstFactorMethods.Intersect(options.SupabaseSecondFactorMethods, StringComparer.Ordinal).ToList();
        if (overlap.Count > 0)
        {
            builder.AddError($"Supabase methods cannot count as both factors: {string.Join(", ", overlap)}.", nameof(options.SupabaseSecondFactorMethods));
        }

        return builder.Build();
    }

    private static void RequireClaimType(ValidateOptionsResultBuilder builder, string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            builder.AddError($"{property} must name a claim type.", property);
        }
    }

    private static bool IsToken(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
