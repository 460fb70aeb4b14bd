using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.IdentityModel.Tokens;
using Reverification.AspNetCore.Internal;
using Reverification.LoadTest;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// Tokens that carry perfectly fresh verification claims but that JwtBearer must refuse: the caller gets the plain
/// 401 challenge, and the reverification handler never evaluates them (no check is counted).
/// </summary>
public sealed class ForgedTokenTests
{
    public static TheoryData<string> Forgeries => new(Forge.Keys);

    private static readonly Dictionary<string, Func<long, string>> Forge = new(StringComparer.Ordinal)
    {
        ["unsigned-alg-none"] = now => TestTokens.Unsigned(Fresh(now)),
        ["unsigned-alg-none-uppercase"] = now => Base64UrlEncoder.Encode("{\"alg\":\"NONE\",\"typ\":\"JWT\"}") + "." + Base64UrlEncoder.Encode(Fresh(now)) + ".",
        ["no-signature-segment"] = now => string.Join('.', TestTokens.Sign(Fresh(now)).Split('.')[..2]),
        ["signed-with-another-key"] = now => TestTokens.Sign(Fresh(now), TestTokens.OtherKey),
        ["signature-of-another-payload"] = now =>
        {
            var genuine = TestTokens.Sign(TestTokens.Payload(now)).Split('.');
            return genuine[0] + "." + Base64UrlEncoder.Encode(Fresh(now)) + "." + genuine[2];
        },
        ["expired"] = now => TestTokens.Sign(TestTokens.Payload(now, Claims(now), expiresAt: now - 120, notBefore: now - 7200)),
        ["not-yet-valid"] = now => TestTokens.Sign(TestTokens.Payload(now, Claims(now), expiresAt: now + 7200, notBefore: now + 600)),
        ["wrong-audience"] = now => TestTokens.Sign(TestTokens.Payload(now, Claims(now), audience: "another-api")),
        ["wrong-issuer"] = now => TestTokens.Sign(TestTokens.Payload(now, Claims(now), issuer: "https://evil.example")),
        ["not-a-jwt"] = now => Base64UrlEncoder.Encode(Fresh(now)),
    };

    private static Action<System.Text.Json.Utf8JsonWriter> Claims(long now) => TestTokens.Timestamps(now - 5, now - 5);

    private static string Fresh(long now) => TestTokens.Payload(now, Claims(now));

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Request_ForgedTokenWithFreshClaims_Gets401AndIsNeverChecked(string forgery)
    {
        await using var app = ReverificationTestApp.Create(useTestServer: true);
        await app.StartAsync();
        using var checks = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), ReverificationMetrics.MeterName, ReverificationMetrics.ChecksName);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/strict_mfa");
        request.Headers.Authorization = new("Bearer", Forge[forgery](DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.DoesNotContain("insufficient_user_authentication", challenge.Parameter ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        Assert.Empty(checks.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Request_GenuineTokenWithFreshClaims_PassesAndIsCheckedOnce()
    {
        // The control for the theory above: the same claims, correctly signed, pass and are counted.
        await using var app = ReverificationTestApp.Create(useTestServer: true);
        await app.StartAsync();
        using var checks = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), ReverificationMetrics.MeterName, ReverificationMetrics.ChecksName);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/strict_mfa");
        request.Headers.Authorization = new("Bearer", TestTokens.Sign(Fresh(DateTimeOffset.UtcNow.ToUnixTimeSeconds())));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("passed", Assert.Single(checks.GetMeasurementSnapshot()).Tags[ReverificationMetrics.OutcomeTag]);
    }
}
