using System.Net;
using System.Text.Json;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>Assertions on the contract's answers.</summary>
public static class ReverificationAssert
{
    /// <summary>The answer is the contract's 403 reverification answer naming <paramref name="level"/>.</summary>
    public static async Task RequiredAsync(HttpResponseMessage response, string level)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("clerk_error");
        Assert.Equal("reverification-error", error.GetProperty("reason").GetString());
        Assert.Equal(level, error.GetProperty("metadata").GetProperty("reverification").GetString());
    }

    /// <summary>The answer is 200.</summary>
    public static async Task PassedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
    }

    /// <summary>The Unix time, in seconds, as the timestamp claims hold it.</summary>
    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
