using Microsoft.AspNetCore.Identity;

namespace Reverification.Sample.Data;

/// <summary>An Identity user with a display name and a demo balance.</summary>
public sealed class SampleUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public decimal Balance { get; set; }
}
