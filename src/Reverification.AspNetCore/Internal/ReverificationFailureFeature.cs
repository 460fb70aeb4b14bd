using Microsoft.AspNetCore.Authorization;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// The authorization context in which MVC's <see cref="Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter"/> left a
/// reverification requirement unmet (its resource is the filter context): the filter itself answers with a bare
/// <see cref="Microsoft.AspNetCore.Mvc.ForbidResult"/>.
/// </summary>
internal sealed class ReverificationFailureFeature(AuthorizationHandlerContext context)
{
    public AuthorizationHandlerContext Context { get; } = context;
}
