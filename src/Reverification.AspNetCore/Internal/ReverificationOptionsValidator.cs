using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>Validates <see cref="ReverificationOptions"/> at start-up, with messages that say what to change.</summary>
internal sealed class ReverificationOptionsValidator : IValidateOptions<ReverificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverificationOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        // Each claim format validates its own options.
        options.ClaimsFormat.Validate(builder);

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
            builder.AddError($"ChallengeScheme must be an HTTP token such as \"Bearer\" (it is {(options.ChallengeScheme is null ? "null" : $"\"{options.ChallengeScheme}\"")}).", nameof(options.ChallengeScheme));
        }

        if (options.ReverifyPath.HasValue && string.IsNullOrWhiteSpace(options.ReturnUrlParameter))
        {
            builder.AddError("ReturnUrlParameter must name a query-string parameter when ReverifyPath is set (the default is \"returnUrl\").", nameof(options.ReturnUrlParameter));
        }

        if (options.ApprovalLifetime < TimeSpan.FromSeconds(10) || options.ApprovalLifetime > TimeSpan.FromHours(1))
        {
            builder.AddError($"ApprovalLifetime must be between 10 seconds and 1 hour (it is {options.ApprovalLifetime}); the default is 5 minutes.", nameof(options.ApprovalLifetime));
        }

        if (options.ApprovalMaxBodyBytes is < 1 or > 16 * 1024 * 1024)
        {
            builder.AddError($"ApprovalMaxBodyBytes must be between 1 and 16777216 (16 MiB) (it is {options.ApprovalMaxBodyBytes}); the default is 65536.", nameof(options.ApprovalMaxBodyBytes));
        }

        return builder.Build();
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
