using Microsoft.AspNetCore.Identity;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>The app's user type: Identity's, derived as apps do.</summary>
public sealed class TestUser : IdentityUser
{
}
