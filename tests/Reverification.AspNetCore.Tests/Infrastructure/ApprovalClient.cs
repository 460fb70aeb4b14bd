using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.AspNetCore.Tests.Infrastructure;

/// <summary>Drives the approval round trip against a <see cref="TestApp"/>: first call, approve, retry.</summary>
internal static class ApprovalClient
{
    public const string Header = "Reverification-Approval";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(TestApp app, string path, string token, string json, string? approvalId = null)
        => app.SendAsync(HttpMethod.Post, path, token, Json(json), r =>
        {
            if (approvalId is not null)
            {
                r.Headers.TryAddWithoutValidation(Header, approvalId);
            }
        });

    /// <summary>The answer's approval: asserts the 403 reverification answer and returns id, summary and expiresIn.</summary>
    public static async Task<(string Id, string? Summary, long ExpiresIn, string Level)> ReadApprovalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Single(response.Headers.WwwAuthenticate);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("clerk_error");
        Assert.Equal("forbidden", error.GetProperty("type").GetString());
        Assert.Equal("reverification-error", error.GetProperty("reason").GetString());
        var metadata = error.GetProperty("metadata");
        var approval = metadata.GetProperty("approval");
        var id = approval.GetProperty("id").GetString()!;
        var summary = approval.GetProperty("summary").ValueKind == JsonValueKind.Null ? null : approval.GetProperty("summary").GetString();
        return (id, summary, approval.GetProperty("expiresIn").GetInt64(), metadata.GetProperty("reverification").GetString()!);
    }

    /// <summary>The app's own verification succeeded for <paramref name="subject"/>: approve through the recorder.</summary>
    public static Task<ReverificationApprovalResult> ApproveAsync(TestApp app, string id, ReverificationFactors verified = ReverificationFactors.SecondFactor, string subject = "user-1", ClaimsPrincipal? user = null)
    {
        var recorder = app.App.Services.GetRequiredService<ReverificationRecorder>();
        user ??= new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim("sub", subject),
                TestTokens.Claim("f1_verified_at", app.Time.GetUtcNow().AddMinutes(-30).ToUnixTimeSeconds()),
                TestTokens.Claim("f2_verified_at", app.Time.GetUtcNow().AddMinutes(-30).ToUnixTimeSeconds()),
            ],
            "test"));
        return recorder.ApproveAsync(user, id, verified);
    }

    /// <summary>A token of <paramref name="subject"/> whose verification is fresh: a fresh verification alone never passes an approval.</summary>
    public static string FreshToken(TestApp app, string subject = "user-1")
    {
        var claims = TestTokens.Timestamps(app.Time.GetUtcNow(), 0, 0);
        claims["sub"] = subject;
        return app.Token(claims);
    }
}
