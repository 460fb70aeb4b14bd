using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Reverification.Sample.Tests;

/// <summary>
/// The sample's API over HTTP with Identity's cookie: sign-in never confirms a password on its own, authenticator codes
/// are single-use, wrong answers lock the account (on the app's clock), each protected operation (controller
/// <c>api/mvc/...</c> and minimal endpoint <c>api/...</c>) passes while the verification is fresh enough for its level
/// and answers with its level once it is not, the settings endpoints carry theirs, and a credential change revokes
/// earlier verifications. Each test creates its own user; tests move the shared clock only forward.
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleApiTests(SampleAppFixture app)
{
    private const string Controller = "api/mvc";
    private const string Minimal = "api";

    [Fact]
    public async Task SignIn_RightPasswordWithoutCode_AnswersExactlyAsAWrongPassword()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var right = NewSession();
        using var wrong = NewSession();

        using var rightPassword = await right.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password });
        using var wrongPassword = await wrong.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = "Not-The-Password-1!" });
        using var unknown = await wrong.PostAsJsonAsync("api/auth/signin", new { email = "nobody-" + account.Email, password = account.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, rightPassword.StatusCode);
        var body = await rightPassword.Content.ReadAsStringAsync();
        Assert.Equal(body, await wrongPassword.Content.ReadAsStringAsync());
        Assert.Equal(body, await unknown.Content.ReadAsStringAsync());
        Assert.Contains("invalid_sign_in_without_code", body, StringComparison.Ordinal);
        Assert.False(rightPassword.Headers.Contains("Set-Cookie"), "a right password alone must set no cookie (Identity's two-factor cookie would tell)");
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await right.GetAsync("api/account")).StatusCode);
    }

    [Fact]
    public async Task SignIn_RightPasswordWrongCode_AnswersAsAWrongPasswordWithACode()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var session = NewSession();
        var wrongCode = await app.WrongCodeAsync(account.Secret!);

        using var rightPassword = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password, code = wrongCode });
        using var wrongPassword = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = "Not-The-Password-1!", code = wrongCode });

        Assert.Equal(HttpStatusCode.Unauthorized, rightPassword.StatusCode);
        Assert.Equal(await rightPassword.Content.ReadAsStringAsync(), await wrongPassword.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_CodeUsedBefore_RefusedAtSignInAndAtReverification()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var first = await SignInAsync(account);
        var used = app.LastUsedCode(account);

        // The same code again: a second sign-in, and a reverification of the first session, are both refused.
        using var second = NewSession();
        using var replayedSignIn = await second.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password, code = used });
        using var replayedReverify = await first.PostAsJsonAsync("reverify/authenticator", new { code = used });

        Assert.Equal(HttpStatusCode.Unauthorized, replayedSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replayedReverify.StatusCode);
        Assert.Equal("replayed", await ReadReasonAsync(replayedReverify));
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountUntilTheLockoutEndsOnTheAppsClock()
    {
        var account = await app.CreateUserAsync(withAuthenticator: false);
        using var session = NewSession();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = "Not-The-Password-1!" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // The fifth wrong answer locks the account (Identity's MaxFailedAccessAttempts = 5) and says so.
        using (var fifth = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = "Not-The-Password-1!" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        }

        // The right password is refused while the account is locked, whatever the address.
        using (var locked = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Identity's lockout (5 minutes) runs on the sample's clock, like everything else.
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(6));
        using var after = await session.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Reverify_FiveWrongPasswords_LockedOutAndTheRightPasswordRefused()
    {
        var account = await app.CreateUserAsync(withAuthenticator: false);
        using var session = await SignInAsync(account);

        var reasons = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await session.PostAsJsonAsync("reverify/password", new { password = "Not-The-Password-1!" });
            reasons.Add(await ReadReasonAsync(wrong));
        }

        using var right = await session.PostAsJsonAsync("reverify/password", new { password = account.Password });

        Assert.Equal(["wrong", "wrong", "wrong", "wrong", "locked_out"], reasons);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal("locked_out", await ReadReasonAsync(right));
        Assert.True(right.Headers.RetryAfter is not null, "a locked-out answer says when to try again");
    }

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

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));
        using (var withinTheHour = await client.PutAsJsonAsync($"{prefix}/profile", new { displayName = "Eleven" }))
        {
            Assert.Equal(HttpStatusCode.OK, withinTheHour.StatusCode);
        }

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(50));
        using var pastTheHour = await client.PutAsJsonAsync($"{prefix}/profile", new { displayName = "Sixty-one" });

        Assert.Equal(HttpStatusCode.Forbidden, pastTheHour.StatusCode);
        Assert.Equal("moderate", await ReadLevelAsync(pastTheHour));
        Assert.Equal("Eleven", await ReadDisplayNameAsync(client));
    }

    [Theory]
    [InlineData(Controller, "Alice B.", "Display name changed to Alice B.")]
    [InlineData(Minimal, "Alice B.", "Display name changed to Alice B.")]
    [InlineData(Minimal, "Alice B", "Display name changed to Alice B.")]
    public async Task Profile_NameEndingWithAFullStop_MessageHasOneFullStop(string prefix, string name, string expected)
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: false));

        using var response = await client.PutAsJsonAsync($"{prefix}/profile", new { displayName = name });

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, body.RootElement.GetProperty("message").GetString());
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
        await ReverifyAsync(client, "authenticator", new { code = await app.FreshCodeAsync(account) });
        using (var secondFactorOnly = await client.DeleteAsync($"{prefix}/account"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, secondFactorOnly.StatusCode);
            Assert.Equal("strict_mfa", await ReadLevelAsync(secondFactorOnly));
        }

        await ReverifyAsync(client, "password", new { password = account.Password });
        using var fresh = await client.DeleteAsync($"{prefix}/account");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/account")).StatusCode);
        using var signIn = await NewSession().PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password, code = await app.FreshCodeAsync(account) });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Theory]
    [InlineData("GET", "api/statement", "strict")]
    [InlineData("POST", "api/settings/password", "strict")]
    [InlineData("POST", "api/settings/authenticator/reset", "strict_mfa")]
    [InlineData("POST", "api/settings/passkeys/options", "strict_mfa")]
    [InlineData("POST", "api/settings/passkeys", "strict_mfa")]
    [InlineData("DELETE", "api/settings/passkeys/AAAA", "strict_mfa")]
    public async Task Settings_StaleSession_EachChangeAnswersItsLevel(string method, string path, string level)
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: true));
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { newPassword = "Another-Password-2!", credential = new { } });
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(level, await ReadLevelAsync(response));
        using var settings = JsonDocument.Parse(await client.GetStringAsync("api/settings"));
        Assert.True(settings.RootElement.GetProperty("twoFactorEnabled").GetBoolean());
    }

    [Fact]
    public async Task ChangePassword_Fresh_ChangesItAndRevokesEarlierVerifications()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var client = await SignInAsync(account);

        using (var changed = await client.PostAsJsonAsync("api/settings/password", new { newPassword = "Another-Password-2!" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        // Still signed in (RefreshSignInAsync), but the verifications recorded under the old security stamp no longer
        // count: a transfer a minute after signing in asks again.
        using (var transfer = await client.PostAsJsonAsync("api/transfers", new { to = "Carol", amount = 5 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, transfer.StatusCode);
            Assert.Equal("strict", await ReadLevelAsync(transfer));
        }

        await ReverifyAsync(client, "authenticator", new { code = await app.FreshCodeAsync(account) });
        using (var transfer = await client.PostAsJsonAsync("api/transfers", new { to = "Carol", amount = 5 }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        }

        using var newPassword = await NewSession().PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = "Another-Password-2!", code = await app.FreshCodeAsync(account) });
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
    }

    [Fact]
    public async Task ResetAuthenticator_Fresh_NewKeyAndRecoveryCodesAndTheOldKeyNoLongerWorks()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var client = await SignInAsync(account);

        using var reset = await client.PostAsJsonAsync("api/settings/authenticator/reset", new { });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var setup = JsonDocument.Parse(await reset.Content.ReadAsStringAsync());
        var newKey = setup.RootElement.GetProperty("sharedKey").GetString()!.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var recoveryCodes = setup.RootElement.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.NotEqual(account.Secret, newKey);
        Assert.Equal(10, recoveryCodes.Count);

        using var oldKey = await client.PostAsJsonAsync("reverify/authenticator", new { code = await app.FreshCodeAsync(account) });
        Assert.Equal("wrong", await ReadReasonAsync(oldKey));
        await ReverifyAsync(client, "authenticator", new { code = await app.FreshCodeAsync(account.Email, newKey) });
        await ReverifyAsync(client, "recovery-code", new { code = recoveryCodes[0] });
        using var usedRecovery = await client.PostAsJsonAsync("reverify/recovery-code", new { code = recoveryCodes[0] });
        Assert.Equal("wrong", await ReadReasonAsync(usedRecovery));
    }

    [Fact]
    public async Task LargeTransfer_NeedsAOneTimeApprovalOfAmountAndPayee_PassesOnceThenAsksAgain()
    {
        var account = await app.CreateUserAsync(withAuthenticator: true);
        using var client = await SignInAsync(account);

        // Not through the ordinary endpoint, even a minute after signing in.
        using (var ordinary = await client.PostAsJsonAsync("api/transfers", new { to = "Dave", amount = 600 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, ordinary.StatusCode);
        }

        // The large endpoint asks for an approval, naming the amount and payee.
        using var first = await client.PostAsJsonAsync("api/transfers/large", new { to = "Dave", amount = 600 });
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        var (id, summary) = await ReadApprovalAsync(first);
        Assert.Equal("Send 600.00 EUR to Dave", summary);

        // Approved with a fresh code and the id; the retry carries the id and passes once.
        using (var approve = await client.PostAsJsonAsync("reverify/authenticator", new { code = await app.FreshCodeAsync(account), approvalId = id }))
        {
            Assert.True(approve.IsSuccessStatusCode, await approve.Content.ReadAsStringAsync());
        }

        // A changed payee with the approved id: refused (and the approval is burnt).
        using (var changed = await SendWithApprovalAsync(client, id, new { to = "Mallory", amount = 600 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, changed.StatusCode);
        }

        using var second = await client.PostAsJsonAsync("api/transfers/large", new { to = "Dave", amount = 600 });
        var (id2, _) = await ReadApprovalAsync(second);
        using (var approve = await client.PostAsJsonAsync("reverify/authenticator", new { code = await app.FreshCodeAsync(account), approvalId = id2 }))
        {
            Assert.True(approve.IsSuccessStatusCode, await approve.Content.ReadAsStringAsync());
        }

        using (var retry = await SendWithApprovalAsync(client, id2, new { to = "Dave", amount = 600 }))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        using (var replay = await SendWithApprovalAsync(client, id2, new { to = "Dave", amount = 600 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
            Assert.NotEqual(id2, (await ReadApprovalAsync(replay)).Id);
        }

        Assert.Equal(1, await app.CountTransfersAsync(account.Email));
    }

    private static async Task<HttpResponseMessage> SendWithApprovalAsync(HttpClient client, string id, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/transfers/large") { Content = JsonContent.Create(body) };
        request.Headers.Add("Reverification-Approval", id);
        return await client.SendAsync(request);
    }

    private static async Task<(string Id, string? Summary)> ReadApprovalAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var approval = body.RootElement.GetProperty("clerk_error").GetProperty("metadata").GetProperty("approval");
        return (approval.GetProperty("id").GetString()!, approval.GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData("POST", "api/auth/signin", "{}")]
    [InlineData("POST", "api/auth/signin", "{\"email\":5}")]
    [InlineData("POST", "api/auth/signin", "null")]
    [InlineData("POST", "api/auth/passkey", "{\"credential\":{}}")]
    [InlineData("POST", "api/auth/passkey", "{\"credential\":\"x\"}")]
    [InlineData("POST", "api/settings/passkeys", "{\"credential\":{\"id\":\"AAAA\",\"response\":{}}}")]
    [InlineData("DELETE", "api/settings/passkeys/%25%25%25", null)]
    [InlineData("DELETE", "api/settings/passkeys/AAAA", null)]
    [InlineData("POST", "api/settings/password", "{}")]
    [InlineData("POST", "api/settings/password", "{\"newPassword\":\"a\"}")]
    [InlineData("POST", "api/transfers", "{\"to\":\"Carol\",\"amount\":-5}")]
    [InlineData("POST", "api/transfers/large", "{\"to\":\"a\",\"To\":\"b\",\"amount\":600}")]
    public async Task BadInput_FreshSession_AnsweredWithA4xxNeverA5xx(string method, string path, string? json)
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: false));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task SignIn_Succeeds_CookieIsHttpOnlyAndSameSiteStrict()
    {
        var account = await app.CreateUserAsync(withAuthenticator: false);
        using var client = NewSession();

        using var response = await client.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Reverification.Sample=", StringComparison.Ordinal));
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CrossSiteRequest_WithTheCookie_Refused()
    {
        var account = await app.CreateUserAsync(withAuthenticator: false);
        using var client = await SignInAsync(account);

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/transfers") { Content = JsonContent.Create(new { to = "Mallory", amount = 5 }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", "https://attacker.example");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("cross_site_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountTransfersAsync(account.Email));
    }

    [Fact]
    public async Task StatementPage_StaleSessionFullLoad_RedirectedToConfirmWhileTheApiKeepsItsAnswer()
    {
        using var client = await SignInAsync(await app.CreateUserAsync(withAuthenticator: true), followRedirects: false);

        using var fresh = await client.SendAsync(Navigation("statement"));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(11));

        // A browser's page load: the redirect to the UI's reverify page, with where to return and the level.
        using var stale = await client.SendAsync(Navigation("statement?month=11"));
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal("/confirm?returnUrl=%2Fstatement%3Fmonth%3D11&level=strict", stale.Headers.Location?.OriginalString);

        // The API (a fetch, not a navigation) keeps the JSON answer that the client's handler prompts on.
        using var api = await client.GetAsync("api/statement");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("strict", await ReadLevelAsync(api));

        static HttpRequestMessage Navigation(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Accept", "text/html");
            request.Headers.Add("Sec-Fetch-Mode", "navigate");
            request.Headers.Add("Sec-Fetch-Site", "none");
            return request;
        }
    }

    /// <summary>A client with its own cookie jar, as a browser tab (that shows redirects instead of following them, if asked).</summary>
    private HttpClient NewSession(bool followRedirects = true)
        => new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = followRedirects }) { BaseAddress = app.BaseAddress };

    private async Task<HttpClient> SignInAsync(TestAccount account, bool followRedirects = true)
    {
        var code = account.Secret is not null ? await app.FreshCodeAsync(account) : null;
        var client = NewSession(followRedirects);
        using var response = await client.PostAsJsonAsync("api/auth/signin", new { email = account.Email, password = account.Password, code });
        Assert.True(response.IsSuccessStatusCode, $"Sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Verifies again through Reverification.Identity's endpoint; the answer refreshes the cookie.</summary>
    private static async Task ReverifyAsync(HttpClient client, string method, object body)
    {
        using var response = await client.PostAsJsonAsync($"reverify/{method}", body);
        Assert.True(response.IsSuccessStatusCode, $"Reverify failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string?> ReadDisplayNameAsync(HttpClient client)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync("api/account"));
        return body.RootElement.GetProperty("displayName").GetString();
    }

    private static async Task<string?> ReadReasonAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
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
