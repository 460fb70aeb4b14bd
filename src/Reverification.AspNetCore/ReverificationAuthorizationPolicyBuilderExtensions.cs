using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>
/// Adds reverification to authorization policies built in code.
/// </summary>
public static class ReverificationAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires the named level in the policy.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="level">A preset's name or one the app registered (ordinal, case-sensitive).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="level"/> is null, empty or not a valid level name.</exception>
    /// <remarks>
    /// Named policies registered with <c>AddAuthorization</c> are checked at start-up; a policy that names an unknown
    /// level at run time (from a custom policy provider) refuses the request and logs an error.
    /// </remarks>
    public static AuthorizationPolicyBuilder RequireReverification(this AuthorizationPolicyBuilder builder, string level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ReverificationRequirement(level));
    }

    /// <summary>
    /// Requires an inline (unnamed) level in the policy.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="factors">Which factors must be fresh.</param>
    /// <param name="maxAgeMinutes">How recent, in minutes: greater than zero; fractions such as 2.5 are allowed.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static AuthorizationPolicyBuilder RequireReverification(this AuthorizationPolicyBuilder builder, ReverificationFactors factors, double maxAgeMinutes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ReverificationRequirement(ReverificationLevel.Create(factors, maxAgeMinutes)));
    }
}
