using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// The account settings in headless Chromium, each change protected at its level: a stale session is prompted at that
/// level (the password for <c>strict_mfa</c> too), then the change goes through; passkeys are registered, used to
/// reverify and to sign in, and removed, with Chromium's virtual authenticator (DevTools protocol).
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleSettingsBrowserTests(SampleAppFixture app) : IAsyncLifetime
{
    private BrowserSession _session = null!;
    private TestAccount _account = null!;

    public async Task InitializeAsync() => _session = await BrowserSession.OpenAsync(app);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    private IPage Page => _session.Page;

    private ILocator Dialog => _session.Dialog;

    [Fact]
    public async Task ChangePassword_StaleSession_PromptsForTheCodeAloneThenChanges()
    {
        await SignInStaleAsync();
        await Page.FillAsync("#settings-password-new", "Brand-New-Password-3!");
        await Page.ClickAsync("#settings-password-button");

        // strict: the second factor alone.
        await _session.OpenModalAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-code")).ToBeVisibleAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-password")).ToHaveCountAsync(0);
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Page.Locator("#settings-password-status")).ToContainTextAsync("Password changed");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        using var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = _account.Email, password = "Brand-New-Password-3!", code = await app.FreshCodeAsync(_account) });
        Assert.True(signIn.IsSuccessStatusCode, "the new password signs in");
    }

    [Fact]
    public async Task ResetAuthenticator_StaleSession_PromptsForPasswordAndCodeThenShowsTheKeyAndRecoveryCodes()
    {
        await SignInStaleAsync();
        await Page.ClickAsync("#settings-authenticator-reset");

        // strict_mfa: both factors.
        await _session.OpenModalAsync();
        await _session.SubmitPasswordAsync(_account.Password);
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Page.Locator("#authenticator-key")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await Assertions.Expect(Page.Locator("#authenticator-state")).ToContainTextAsync("Recovery codes left: 10");
        var key = (await Page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.NotEqual(_account.Secret, key);
        await _session.SaveScreenshotAsync("settings-authenticator-reset.png", fullPage: true);

        // The reset changed the security stamp: the next protected action asks again, and the new key's code works.
        await Page.ClickAsync("#nav-account");
        await Page.ClickAsync("#transfer-button");
        await _session.OpenModalAsync();
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account.Email, key));
        await Assertions.Expect(Page.Locator("#transfer-status")).ToContainTextAsync("Transfer sent");
    }

    [Fact]
    public async Task ResetAuthenticator_PromptCancelled_ChangesNothing()
    {
        await SignInStaleAsync();
        await Page.ClickAsync("#settings-authenticator-reset");
        await _session.OpenModalAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(Page.Locator("#settings-authenticator-status")).ToHaveTextAsync("Authenticator not reset: the verification was cancelled.");
        await Assertions.Expect(Page.Locator("#authenticator-setup")).ToHaveCountAsync(0);
        using var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = _account.Email, password = _account.Password, code = await app.FreshCodeAsync(_account) });
        Assert.True(signIn.IsSuccessStatusCode, "the old key still works");
    }

    [Theory]
    [InlineData("#settings-password-button", "#settings-password-status", "Password not changed: the verification was cancelled.")]
    [InlineData("#settings-passkey-add", "#settings-passkey-status", "No passkey added: the verification was cancelled.")]
    public async Task SettingsAction_PromptCancelled_ChangesNothing(string button, string status, string message)
    {
        await SignInStaleAsync();
        await Page.FillAsync("#settings-password-new", "Brand-New-Password-3!");
        await Page.ClickAsync(button);
        await _session.OpenModalAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(Page.Locator(status)).ToHaveTextAsync(message);
        await Assertions.Expect(Page.Locator("#no-passkeys")).ToBeVisibleAsync();
        using var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = _account.Email, password = _account.Password, code = await app.FreshCodeAsync(_account) });
        Assert.True(signIn.IsSuccessStatusCode, "the old password still works");
    }

    [Fact]
    public async Task Passkey_AddedAtStrictMfaThenReverifiesSignsInAndIsRemoved()
    {
        await _session.AddVirtualAuthenticatorAsync();
        await SignInStaleAsync();

        // Add: strict_mfa on a stale session prompts for password and code first.
        await Page.FillAsync("#settings-passkey-name", "Test laptop");
        await Page.ClickAsync("#settings-passkey-add");
        await _session.OpenModalAsync();
        await _session.SubmitPasswordAsync(_account.Password);
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));
        await Assertions.Expect(Page.Locator("#settings-passkey-status")).ToHaveTextAsync("Passkey \"Test laptop\" added.");
        await Assertions.Expect(Page.GetByTestId("passkey")).ToHaveCountAsync(1);

        // Reverify with it: the dialog offers the passkey, which verifies both factors (user verification).
        await Page.ClickAsync("#nav-account");
        await _session.AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(_account.Email);
        await Page.ClickAsync("#transfer-button");
        await _session.OpenModalAsync();
        await Assertions.Expect(Dialog.GetByTestId("reverification-passkey")).ToBeVisibleAsync();
        await _session.SaveScreenshotAsync("reverification-passkey.png");
        await Dialog.GetByTestId("reverification-passkey").ClickAsync();
        await Assertions.Expect(Page.Locator("#transfer-status")).ToContainTextAsync("Transfer sent");
        Assert.Equal(before + 1, await app.CountTransfersAsync(_account.Email));
        await Assertions.Expect(Page.Locator("#verified-ages")).ToContainTextAsync("password 0 min ago, second factor 0 min ago");

        // Sign in with it, without email or password.
        await Page.ClickAsync("#signout");
        await Page.ClickAsync("#signin-passkey");
        await Assertions.Expect(Page.Locator("#account-email")).ToHaveTextAsync(_account.Email);

        // Remove: strict_mfa again, on a stale session; the passkey answers the prompt.
        await _session.AdvanceClockPastStrictAsync();
        await Page.ClickAsync("#nav-settings");
        await Page.GetByTestId("passkey").Locator(".passkey-remove").ClickAsync();
        await _session.OpenModalAsync();
        await Dialog.GetByTestId("reverification-passkey").ClickAsync();
        await Assertions.Expect(Page.Locator("#settings-passkey-status")).ToContainTextAsync("Passkey removed");
        await Assertions.Expect(Page.GetByTestId("passkey")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DeleteAccount_ConfirmedAndVerified_DeletedWithAMessage()
    {
        await SignInStaleAsync();

        // The confirmation step: "Keep my account" backs out.
        await Page.ClickAsync("#settings-delete");
        await Page.ClickAsync("#settings-delete-keep");
        await Assertions.Expect(Page.Locator("#settings-delete-confirm")).ToHaveCountAsync(0);

        await Page.ClickAsync("#settings-delete");
        await Page.ClickAsync("#settings-delete-confirm");
        await _session.OpenModalAsync();
        await _session.SubmitPasswordAsync(_account.Password);
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Page.Locator("#signin-notice")).ToContainTextAsync("Your account was deleted.");
        using var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = _account.Email, password = _account.Password, code = await app.FreshCodeAsync(_account) });
        Assert.False(signIn.IsSuccessStatusCode);
    }

    /// <summary>Signs a new account with an authenticator in, lets its verification go stale, and opens the settings.</summary>
    private async Task SignInStaleAsync()
    {
        _account = await app.CreateUserAsync(withAuthenticator: true);
        await _session.SignInAsync(_account);
        await _session.AdvanceClockPastStrictAsync();
        await Page.ClickAsync("#nav-settings");
        await Assertions.Expect(Page.Locator("#authenticator-state")).ToContainTextAsync("On.");
    }
}
