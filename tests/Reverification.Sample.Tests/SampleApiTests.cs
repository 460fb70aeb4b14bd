using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Reverification.Sample.Tests;

/// <summary>
/// The sample's API over HTTP: each protected operation, as a controller action (<c>api/mvc/...</c>) and as a minimal
/// endpoint (<c>api/...</c>), passes while the verification is fresh enough for its level and answers with its level
/// once it is not; reverify is rate limited. Each test creates its own user, so tests share no user's state (rate
/// limit, display name, existence) and their order cannot matter; they move the shared clock only forward, and only
/// after signing in.
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleApiTests(SampleAppFixture app)
{
    private const string Controller = "api/mvc";
    private const string Minimal = "api";

    [Theory]
    [InlineData(Controller)]
    [InlineData(Minimal)]
    public async Task Transfer_SecondFactorOlderThanTenMinutes_AnswersStrict(string prefix)
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: true));

        using (var fresh = await client.PostAsJsonAsync($"{prefix}/transfers", new { to = "Carol", amount = 5 }))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));
        using var stale = await client.PostAsJsonAsync($"{prefix}/transfers", new { to = "Carol", amount = 5 });

        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        Assert.Equal("strict", await ReadLevelAsync(stale));
    }

    [Theory]
    [InlineData(Controller)]
    [InlineData(Minimal)]
    public async Task Profile_AllowsElevenMinutesButNotSixtyOne_AnswersModerate(string prefix)
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: true));

        // Older than strict allows, younger than moderate's hour: passes.
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));
        using (var withinTheHour = await client.PutAsJsonAsync($"{prefix}/profile", new { displayName = "Eleven" }))
        {
            Assert.Equal(HttpStatusCode.OK, withinTheHour.StatusCode);
        }

        // Older than moderate's hour (and younger than lax's day): refused, naming moderate.
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(50));
        using var pastTheHour = await client.PutAsJsonAsync($"{prefix}/profile", new { displayName = "Sixty-one" });

        Assert.Equal(HttpStatusCode.Forbidden, pastTheHour.StatusCode);
        Assert.Equal("moderate", await ReadLevelAsync(pastTheHour));
        Assert.Equal("Eleven", await ReadDisplayNameAsync(client));
    }

    [Theory]
    [InlineData(Controller)]
    [InlineData(Minimal)]
    public async Task DeleteAccount_NeedsBothFactorsFresh_AnswersStrictMfaUntilTheyAre(string prefix)
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var client = await SignInAsync(account);
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));

        using (var stale = await client.DeleteAsync($"{prefix}/account"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
            Assert.Equal("strict_mfa", await ReadLevelAsync(stale));
        }

        // A fresh second factor alone (what strict asks for) is not enough.
        await ReverifyAsync(client, new { code = DemoAccount.CurrentCode(account.Secret!) });
        using (var secondFactorOnly = await client.DeleteAsync($"{prefix}/account"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, secondFactorOnly.StatusCode);
            Assert.Equal("strict_mfa", await ReadLevelAsync(secondFactorOnly));
        }

        // Both fresh: the account is deleted.
        await ReverifyAsync(client, new { password = account.Password });
        using var fresh = await client.DeleteAsync($"{prefix}/account");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        using var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Reverify_RepeatedWrongPasswords_FiveRefusedThenRateLimited()
    {
        // A user of its own: the limit is per user and address, so no other test's attempts count here.
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: false));

        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await client.PostAsJsonAsync("api/auth/reverify", new { password = "not-the-password" });
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers.Take(5), a =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, a.Status);
            Assert.Contains("The password is not correct.", a.Body, StringComparison.Ordinal);
        });
        Assert.All(answers.Skip(5), a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
            Assert.Contains("Too many attempts", a.Body, StringComparison.Ordinal);
        });
    }

    private async Task<HttpClient> SignInAsync(TestAccount account)
    {
        var code = account.Secret is { } secret ? DemoAccount.CurrentCode(secret) : null;
        using var response = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password, code });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>Verifies again and uses the new token, as the sample's UI does.</summary>
    private static async Task ReverifyAsync(HttpClient client, object credentials)
    {
        using var response = await client.PostAsJsonAsync("api/auth/reverify", credentials);
        Assert.True(response.IsSuccessStatusCode, $"Reverify failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("accessToken").GetString());
    }

    private static async Task<string?> ReadDisplayNameAsync(HttpClient client)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync("api/account"));
        return body.RootElement.GetProperty("displayName").GetString();
    }

    private static async Task<string?> ReadLevelAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("clerk_error");
        Assert.Equal("forbidden", error.GetProperty("type").GetString());
        Assert.Equal("reverification-error", error.GetProperty("reason").GetString());
        return error.GetProperty("metadata").GetProperty("reverification").GetString();
    }
}
