namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>How the test app authenticates its users.</summary>
public enum IdentityTestMode
{
    /// <summary>Identity's application cookie (<c>AddIdentity</c>).</summary>
    Cookie,

    /// <summary>Identity's bearer tokens (<c>AddIdentityApiEndpoints</c> + <c>MapIdentityApi</c>).</summary>
    Bearer,
}
