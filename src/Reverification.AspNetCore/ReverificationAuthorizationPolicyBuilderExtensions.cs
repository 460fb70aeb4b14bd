using Reverification.AspNetCore;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>
/// Adds reverification to authorization policies built in code.
/// </summary>
public static class ReverificationAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires the named reverification level in the policy.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="level">A preset's name or one the app registered.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Levels named in policies are not known to the start-up check of endpoints: an unknown name denies every request
    /// and logs an error. Prefer a preset or a level registered with
    /// <see cref="ReverificationOptions.AddLevel(string, ReverificationFactors, double)"/>.
    /// </remarks>
    public static AuthorizationPolicyBuilder RequireReverification(this AuthorizationPolicyBuilder builder, string level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ReverificationRequirement(level));
    }

    /// <summary>
    /// Requires <paramref name="level"/> in the policy.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="level">The level.</param>
    /// <returns>The builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireReverification(this AuthorizationPolicyBuilder builder, ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRequirements(new ReverificationRequirement(level));
    }
}
