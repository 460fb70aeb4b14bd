using System.Security.Claims;
using System.Text.Json;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>The verification claims a principal carries: every value of each claim type (the library's defaults).</summary>
public sealed record VerificationClaims(bool Authenticated, string[] FirstFactor, string[] SecondFactor, string[] Stamp)
{
    public static VerificationClaims From(ClaimsPrincipal user)
        => new(
            user.Identities.Any(static i => i.IsAuthenticated),
            [.. user.FindAll("f1_verified_at").Select(static c => c.Value)],
            [.. user.FindAll("f2_verified_at").Select(static c => c.Value)],
            [.. user.FindAll("rv_stamp").Select(static c => c.Value)]);

    public static async Task<VerificationClaims> ReadAsync(TestSession session)
    {
        var response = await session.GetAsync("/test/times");
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<VerificationClaims>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
    }
}
