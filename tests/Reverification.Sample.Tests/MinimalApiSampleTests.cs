extern alias MinimalApiSample;

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MinimalApiProgram = MinimalApiSample::Program;

namespace Reverification.Sample.Tests;

/// <summary>
/// The minimal API sample (<c>samples/Reverification.Samples.MinimalApi</c>) in process, in Development as the README
/// runs it: tokens come from its <c>/dev/token</c> endpoint and are validated by its real JwtBearer setup; the calls
/// are the README's curl calls.
/// </summary>
public sealed class MinimalApiSampleTests(WebApplicationFactory<MinimalApiProgram> factory)
    : IClassFixture<WebApplicationFactory<MinimalApiProgram>>
{
    [Fact]
    public async Task Profile_TokenFromDevEndpoint_ReturnsTheTokensSubject()
    {
        using var client = factory.CreateClient();
        var token = await GetTokenAsync(client, firstFactorMinutesAgo: 2, secondFactorMinutesAgo: 2);

        using var response = await SendAsync(client, HttpMethod.Get, "/api/profile", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("demo-user", body.RootElement.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Transfer_FreshToken_Passes()
    {
        using var client = factory.CreateClient();
        var token = await GetTokenAsync(client, firstFactorMinutesAgo: 2, secondFactorMinutesAgo: 2);

        using var response = await SendAsync(client, HttpMethod.Post, "/api/transfer", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TransferAndExport_StaleToken_AnswerWithTheirLevels()
    {
        using var client = factory.CreateClient();
        var stale = await GetTokenAsync(client, firstFactorMinutesAgo: 30, secondFactorMinutesAgo: 30);

        using var transfer = await SendAsync(client, HttpMethod.Post, "/api/transfer", stale);
        using var export = await SendAsync(client, HttpMethod.Post, "/api/export", stale);

        Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
        Assert.Equal(
            """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""",
            await transfer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        using var body = JsonDocument.Parse(await export.Content.ReadAsStringAsync());
        var level = body.RootElement.GetProperty("clerk_error").GetProperty("metadata").GetProperty("reverification");
        Assert.Equal("first_factor", level.GetProperty("level").GetString());
        Assert.Equal(2.5, level.GetProperty("afterMinutes").GetDouble());
    }

    private static async Task<string> GetTokenAsync(HttpClient client, int firstFactorMinutesAgo, int secondFactorMinutesAgo)
    {
        using var response = await client.PostAsync(
            new Uri($"/dev/token?firstFactorMinutesAgo={firstFactorMinutesAgo}&secondFactorMinutesAgo={secondFactorMinutesAgo}", UriKind.Relative),
            content: null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
