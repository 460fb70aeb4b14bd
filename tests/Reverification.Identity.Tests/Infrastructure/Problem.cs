using System.Net;
using System.Text.Json;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>A problem-details answer, read.</summary>
public sealed record Problem(HttpStatusCode Status, string? Reason, string? Detail, string? LockoutEnd, string? RetryAfter, string Body)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        string? Get(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return new Problem(response.StatusCode, Get("reason"), Get("detail"), Get("lockoutEnd"), retryAfter, body);
    }
}
