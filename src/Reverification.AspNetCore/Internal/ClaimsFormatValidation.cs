using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>Rules the claim formats' options share.</summary>
internal static class ClaimsFormatValidation
{
    public static void RequireClaimType(ValidateOptionsResultBuilder builder, string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            builder.AddError($"{property} must name a claim type (it is {(value is null ? "null" : $"'{value}'")}).", property);
        }
    }

    public static void RequireMethods(ValidateOptionsResultBuilder builder, ISet<string> methods, string property)
    {
        if (methods.Count == 0)
        {
            builder.AddError($"{property} is empty, so no method would count; keep the defaults or add the methods your identity provider writes.", property);
        }

        if (methods.Any(static m => string.IsNullOrWhiteSpace(m)))
        {
            builder.AddError($"{property} holds an empty method name; remove it.", property);
        }
    }
}
