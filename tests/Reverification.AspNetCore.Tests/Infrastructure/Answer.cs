using System.Net;

namespace Reverification.AspNetCore.Tests.Infrastructure;

internal static class Answer
{
    public static string Body(string preset)
        => "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"" + preset + "\"}}}";

    public static string CustomBody(string factors, string afterMinutes)
        => "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":{\"level\":\"" + factors + "\",\"afterMinutes\":" + afterMinutes + "}}}}";

    public static string Challenge(long maxAgeSeconds)
        => $"Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent authentication is required.\", max_age={maxAgeSeconds}";

    /// <summary>Asserts the exact reverification answer: 403, application/json, the body and the RFC 9470 challenge.</summary>
    public static async Task AssertReverificationAsync(HttpResponseMessage response, string expectedBody, long maxAgeSeconds)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expectedBody, await response.Content.ReadAsStringAsync());
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(Challenge(maxAgeSeconds), challenge.ToString());
    }

    /// <summary>Asserts a plain 403 without the reverification body.</summary>
    public static async Task AssertPlainForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("reverification-error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
