using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Reverification.Sample.Tests;

/// <summary>The sample's API over HTTP: the controller form of the protected endpoints, and the rate limit on reverify.</summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleApiTests(SampleAppFixture app)
{
    [Fact]
    public async Task ControllerActions_StaleSession_AnswerWithTheirLevels()
    {
        using var client = await SignInAsync(DemoAccount.PasswordOnlyEmail, DemoAccount.PasswordOnlyPassword);
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));

        using var transfer = await client.PostAsJsonAsync("api/mvc/transfers", new { to = "Carol", amount = 5 });
        using var delete = await client.DeleteAsync("api/mvc/account");
        using var profile = await client.PutAsJsonAsync("api/mvc/profile", new { displayName = "Bob" });

        Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
        Assert.Equal("strict", await ReadLevelAsync(transfer));
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal("strict_mfa", await ReadLevelAsync(delete));
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode); // moderate allows 60 minutes
    }

    [Fact]
    public async Task Reverify_RepeatedWrongPasswords_RefusedThenRateLimited()
    {
        using var client = await SignInAsync(DemoAccount.PasswordOnlyEmail, DemoAccount.PasswordOnlyPassword);

        // 5 attempts per user and address per minute; other tests of this run may have used some of Bob's.
        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.PostAsJsonAsync("api/auth/reverify", new { password = "not-the-password" });
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        var refused = answers.TakeWhile(a => a.Status == HttpStatusCode.BadRequest).ToList();
        var limited = answers.Skip(refused.Count).ToList();
        Assert.All(refused, a => Assert.Contains("The password is not correct.", a.Body, StringComparison.Ordinal));
        Assert.NotEmpty(limited);
        Assert.All(limited, a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
            Assert.Contains("Too many attempts", a.Body, StringComparison.Ordinal);
        });
    }

    private async Task<HttpClient> SignInAsync(string email, string password)
    {
        using var response = await app.Http.PostAsJsonAsync("api/auth/signin", new { email, password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    private static async Task<string?> ReadLevelAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("clerk_error");
        Assert.Equal("reverification-error", error.GetProperty("reason").GetString());
        return error.GetProperty("metadata").GetProperty("reverification").GetString();
    }
}
