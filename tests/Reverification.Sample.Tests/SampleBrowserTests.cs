using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// The sample in headless Chromium: sign-in, a transfer with a fresh session, and the reverification prompt when the
/// session is older than the <c>strict</c> level allows. Each test signs in an account of its own.
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleBrowserTests(SampleAppFixture app) : IAsyncLifetime
{
    private BrowserSession _session = null!;
    private TestAccount _account = null!;

    public async Task InitializeAsync() => _session = await BrowserSession.OpenAsync(app);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    private IPage Page => _session.Page;

    private ILocator Dialog => _session.Dialog;

    private ILocator TransferStatus => Page.Locator("#transfer-status");

    [Fact]
    public async Task Transfer_FreshSession_SucceedsWithoutPrompt()
    {
        await SignInWithAuthenticatorAsync();
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Transfer_StaleSession_PromptsRefusesWrongCodeAndRetriesAfterRightCode()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");

        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-code")).ToBeVisibleAsync();
        await _session.SaveScreenshotAsync("reverification-modal.png");
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));

        await _session.SubmitCodeAsync(await app.WrongCodeAsync(_account.Secret!));

        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToContainTextAsync("That code is not correct. Check your authenticator app and try again.");
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));

        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Transfer_StaleSessionPromptCancelled_ShowsCancelledAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("#transfer-button")).ToBeFocusedAsync(); // focus given back
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Transfer_StaleSessionEscapePressed_ShowsCancelledAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-code")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("#transfer-button")).ToBeFocusedAsync();
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Dialog_TabAndShiftTabManyTimes_FocusStaysInsideAndThePageBehindIsInert()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        var forward = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            forward.Add(await FocusInsideDialogAsync($"after Tab #{i + 1}"));
        }

        var backward = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await Page.Keyboard.PressAsync("Shift+Tab");
            backward.Add(await FocusInsideDialogAsync($"after Shift+Tab #{i + 1}"));
        }

        // Both directions went round the dialog's controls (code, Verify, Cancel) more than once.
        string[] controls = ["reverification-code", "reverification-submit", "reverification-cancel"];
        Assert.All(controls, c => Assert.True(forward.Count(f => f == c) >= 3, $"Tab order: {string.Join(", ", forward)}"));
        Assert.All(controls, c => Assert.True(backward.Count(f => f == c) >= 3, $"Shift+Tab order: {string.Join(", ", backward)}"));

        // The page behind is inert: it takes no focus, even when asked directly.
        var focused = await Page.EvaluateAsync<string>("() => { document.getElementById('transfer-to').focus(); return document.activeElement.id; }");
        Assert.NotEqual("transfer-to", focused);
        await FocusInsideDialogAsync("after focusing a field behind the dialog");
    }

    [Fact]
    public async Task Dialog_BackdropClickedThenEscape_StillCancelsAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        // The top-left corner is backdrop (the dialog is centred); a click there keeps the dialog open.
        await Page.Mouse.ClickAsync(5, 5);
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("Shift+Tab");
        await FocusInsideDialogAsync("after clicking the backdrop and pressing Shift+Tab");
        await Page.Mouse.ClickAsync(5, 5);
        await Page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Dialog_CancelEvent_DefaultPreventedAndTheRequestCancelled()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        // A cancelable "cancel" event, as Escape fires it: the browser must not close the dialog on its own (the
        // component closes it when the request is cancelled), so the event's default is prevented.
        var notPrevented = await Page.EvaluateAsync<bool>(
            "() => document.getElementById('reverification-dialog').dispatchEvent(new Event('cancel', { cancelable: true }))");

        Assert.False(notPrevented);
        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Transfer_StaleSessionWithoutSecondFactor_AsksForThePassword()
    {
        _account = await app.CreateUserAsync(withAuthenticator: false);
        await _session.SignInAsync(_account);
        await Assertions.Expect(Page.Locator("#signin-code")).ToHaveCountAsync(0);
        await AdvanceClockPastStrictAsync("password 11 min ago");
        var before = await app.CountTransfersAsync(_account.Email);

        await Page.ClickAsync("#transfer-button");
        await Assertions.Expect(Dialog.Locator("#reverification-password")).ToBeVisibleAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-code")).ToHaveCountAsync(0);
        await Dialog.Locator("#reverification-password").FillAsync(_account.Password);
        await Dialog.GetByTestId("reverification-submit").ClickAsync();

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(_account.Email));
    }

    /// <summary>The id (or test id) of the focused element, after checking that it is inside the dialog.</summary>
    private async Task<string> FocusInsideDialogAsync(string when)
    {
        var focus = await Page.EvaluateAsync<FocusState>("""
            () => {
                const dialog = document.getElementById('reverification-dialog');
                const active = document.activeElement;
                return {
                    inside: !!dialog && active !== dialog && dialog.contains(active),
                    name: active ? (active.id || active.dataset.testid || active.tagName) : '(none)',
                };
            }
            """);
        Assert.True(focus.Inside, $"Focus left the dialog {when}: {focus.Name}");
        return focus.Name;
    }

    [Fact]
    public async Task SignIn_AccountWithAuthenticator_CodeFieldAppearsFocusedAndTheMessageKeepsSixDigitOnOneLine()
    {
        _account = await app.CreateUserAsync(withAuthenticator: true);
        await Page.SetViewportSizeAsync(360, 760); // a phone: the message wraps
        await Page.GotoAsync("/");
        await Page.FillAsync("#signin-email", _account.Email);
        await Page.FillAsync("#signin-password", _account.Password);
        await Page.ClickAsync("#signin-submit");

        await Assertions.Expect(Page.Locator("#signin-code")).ToBeFocusedAsync();
        var message = Page.Locator("#signin-message");
        await Assertions.Expect(message).ToContainTextAsync("6\u2011digit code");

        // The words "6-digit" are laid out on one line: one client rectangle for their text range.
        var rects = await message.EvaluateAsync<int>("""
            el => {
                const text = el.firstChild.textContent;
                const start = text.indexOf('6\u2011digit');
                const range = document.createRange();
                range.setStart(el.firstChild, start);
                range.setEnd(el.firstChild, start + '6\u2011digit'.length);
                return range.getClientRects().length;
            }
            """);
        Assert.Equal(1, rects);
        await _session.SaveScreenshotAsync("sign-in-code.png");
    }

    [Fact]
    public async Task SignIn_CodeAlreadyUsed_RefusedWithTheGenericMessage()
    {
        _account = await app.CreateUserAsync(withAuthenticator: true);
        await _session.SignInAsync(_account);

        // Another browser, the same code (seen over the shoulder, say): refused, with the message of any wrong answer.
        await using var other = await BrowserSession.OpenAsync(app);
        await other.Page.GotoAsync("/");
        await other.Page.FillAsync("#signin-email", _account.Email);
        await other.Page.FillAsync("#signin-password", _account.Password);
        await other.Page.ClickAsync("#signin-submit");
        await other.Page.FillAsync("#signin-code", app.LastUsedCode(_account));
        await other.Page.ClickAsync("#signin-submit");

        await Assertions.Expect(other.Page.Locator("#signin-message")).ToHaveTextAsync("The email, password or code is not correct.");
        await Assertions.Expect(other.Page.Locator("#account-email")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Dialog_CodeAlreadyUsedElsewhere_RefusedAsAlreadyUsed()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        // The code is used first by someone else (a sign-in over HTTP), then typed into the dialog.
        var code = await app.FreshCodeAsync(_account);
        using (var signIn = await app.Http.PostAsJsonAsync("api/auth/signin", new { email = _account.Email, password = _account.Password, code }))
        {
            Assert.True(signIn.IsSuccessStatusCode);
        }

        var before = await app.CountTransfersAsync(_account.Email);
        await _session.SubmitCodeAsync(code);

        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToContainTextAsync("already used");
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        Assert.Equal(before, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Dialog_FiveWrongCodes_ShowsTheLockoutAndRefusesTheRightCode()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        var wrong = await app.WrongCodeAsync(_account.Secret!);
        for (var i = 0; i < 4; i++)
        {
            await _session.SubmitCodeAsync(wrong);
            await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToHaveTextAsync("That code is not correct. Check your authenticator app and try again.");
            await Assertions.Expect(Dialog.GetByTestId("reverification-submit")).ToBeEnabledAsync();
        }

        await _session.SubmitCodeAsync(wrong);
        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToContainTextAsync("your account is locked. Try again after");
        await _session.SaveScreenshotAsync("reverification-locked-out.png");

        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));
        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToContainTextAsync("locked");
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();
        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        Assert.Equal(0, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task Dialog_VerifySitsBesideCancelAndAnErrorDoesNotMoveIt()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        var verify = await Dialog.GetByTestId("reverification-submit").BoundingBoxAsync();
        var cancel = await Dialog.GetByTestId("reverification-cancel").BoundingBoxAsync();
        var dialogBefore = await Dialog.BoundingBoxAsync();
        Assert.NotNull(verify);
        Assert.NotNull(cancel);
        Assert.True(Math.Abs(verify.Y - cancel.Y) < 2, $"Verify at y={verify.Y}, Cancel at y={cancel.Y}: not on one line");
        Assert.True(cancel.X > verify.X && cancel.X - (verify.X + verify.Width) < 24, $"Verify ends at x={verify.X + verify.Width}, Cancel starts at x={cancel.X}");

        await _session.SubmitCodeAsync(await app.WrongCodeAsync(_account.Secret!));
        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToHaveTextAsync("That code is not correct. Check your authenticator app and try again.");

        var dialogAfter = await Dialog.BoundingBoxAsync();
        var verifyAfter = await Dialog.GetByTestId("reverification-submit").BoundingBoxAsync();
        Assert.Equal(dialogBefore!.Height, dialogAfter!.Height, 1);
        Assert.Equal(dialogBefore.Y, dialogAfter.Y, 1);
        Assert.Equal(verify.Y, verifyAfter!.Y, 1);
    }

    [Fact]
    public async Task Statement_InteractiveNavigationOnAStaleSession_PromptsBeforeThePageRenders()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        // A click on a NavLink: interactive navigation inside the WebAssembly router, no HTTP request for the page.
        await Page.ClickAsync("#nav-statement");

        await OpenModalAsync();
        await Assertions.Expect(Page.GetByTestId("reverification-guard-checking")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveCountAsync(0);
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveTextAsync("1000.00");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Statement_PromptCancelled_ShowsTheCancelledViewAndNotThePage()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        await Page.ClickAsync("#nav-statement");
        await OpenModalAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("reverification-guard-cancelled")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveCountAsync(0);

        // "Confirm it's you" prompts again; the right code then shows the page.
        await Page.GetByTestId("reverification-guard-retry").ClickAsync();
        await OpenModalAsync();
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));
        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveTextAsync("1000.00");
    }

    [Fact]
    public async Task Statement_ReloadOnAStaleSession_ConfirmPagePromptsThenLoadsThePage()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        // A full page load (a reload, a bookmark): the server redirects to /confirm, which prompts.
        await Page.GotoAsync(app.BaseAddress + "statement");
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/confirm\\?returnUrl=%2Fstatement&level=strict$"));
        await OpenModalAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();
        await Assertions.Expect(Page.Locator("#confirm-status")).ToContainTextAsync("Cancelled");
        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveCountAsync(0);

        await Page.ClickAsync("#confirm-retry");
        await OpenModalAsync();
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Page).ToHaveURLAsync(app.BaseAddress + "statement");
        await Assertions.Expect(Page.Locator("#statement-balance")).ToHaveTextAsync("1000.00");

        // A return URL to another site is never followed: the dashboard instead.
        await Page.GotoAsync(app.BaseAddress + "confirm?returnUrl=%2F%2Fattacker.example%2F&level=strict");
        await Assertions.Expect(Page).ToHaveURLAsync(app.BaseAddress.ToString());
    }

    [Fact]
    public async Task LargeTransfer_FreshSession_DialogShowsAmountAndPayeeAndTheTransferGoesThroughOnce()
    {
        await SignInWithAuthenticatorAsync();
        await Page.FillAsync("#transfer-to", "Dave");
        await Page.FillAsync("#transfer-amount", "600");

        // A minute after signing in: strict would pass, but a one-time approval never passes without the user.
        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();
        await Assertions.Expect(Dialog.GetByTestId("reverification-approval-summary")).ToHaveTextAsync("Send 600.00 EUR to Dave");
        await _session.SaveScreenshotAsync("reverification-approval.png");
        Assert.Equal(0, await app.CountTransfersAsync(_account.Email));
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(TransferStatus).ToHaveTextAsync("Transfer sent: 600.00 to Dave. New balance 400.00.");
        Assert.Equal(1, await app.CountTransfersAsync(_account.Email));

        // The approval was for that transfer, once: the next large one asks again (here cancelled: nothing sent).
        await Page.FillAsync("#transfer-amount", "501");
        await Page.FillAsync("#transfer-to", "Erin");
        await Page.ClickAsync("#transfer-button");
        await OpenModalAsync();
        await Assertions.Expect(Dialog.GetByTestId("reverification-approval-summary")).ToHaveTextAsync("Send 501.00 EUR to Erin");
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();
        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        Assert.Equal(1, await app.CountTransfersAsync(_account.Email));
    }

    private Task AdvanceClockPastStrictAsync(string expectedAge = "second factor 11 min ago") => _session.AdvanceClockPastStrictAsync(expectedAge);

    private Task OpenModalAsync() => _session.OpenModalAsync();

    private async Task SignInWithAuthenticatorAsync()
    {
        _account = await app.CreateUserAsync(withAuthenticator: true);
        await _session.SignInAsync(_account);
    }

    private sealed class FocusState
    {
        public bool Inside { get; set; }

        public string Name { get; set; } = "";
    }
}
