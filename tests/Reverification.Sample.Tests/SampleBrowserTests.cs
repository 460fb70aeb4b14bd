using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// The sample in headless Chromium: sign-in, a transfer with a fresh session, and the reverification prompt when the
/// session is older than the <c>strict</c> level allows.
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleBrowserTests(SampleAppFixture app) : IAsyncLifetime
{
    private static readonly TimeSpan PastStrict = TimeSpan.FromMinutes(11);
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1000, Height = 760 },
        });
        _context.SetDefaultTimeout(20_000);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    private ILocator Dialog => _page.GetByRole(AriaRole.Dialog);

    private ILocator TransferStatus => _page.Locator("#transfer-status");

    [Fact]
    public async Task Transfer_FreshSession_SucceedsWithoutPrompt()
    {
        await SignInWithAuthenticatorAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Transfer_StaleSession_PromptsRefusesWrongCodeAndRetriesAfterRightCode()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");

        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Assertions.Expect(Dialog.Locator("#reverify-code")).ToBeVisibleAsync();
        await SaveModalScreenshotAsync();
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));

        await Dialog.Locator("#reverify-code").FillAsync(DemoAccount.WrongCode());
        await Dialog.Locator("#reverify-submit").ClickAsync();

        await Assertions.Expect(Dialog.GetByTestId("reverification-error")).ToContainTextAsync("code is not valid");
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));

        await Dialog.Locator("#reverify-code").FillAsync(DemoAccount.CurrentCode());
        await Dialog.Locator("#reverify-submit").ClickAsync();

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Transfer_StaleSessionPromptCancelled_ShowsCancelledAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator("#transfer-button")).ToBeFocusedAsync(); // focus given back
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Transfer_StaleSessionEscapePressed_ShowsCancelledAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");
        await OpenModalAsync();
        await Assertions.Expect(Dialog.Locator("#reverify-code")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator("#transfer-button")).ToBeFocusedAsync();
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Dialog_TabAndShiftTabManyTimes_FocusStaysInsideAndThePageBehindIsInert()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        await _page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        var forward = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await _page.Keyboard.PressAsync("Tab");
            forward.Add(await FocusInsideDialogAsync($"after Tab #{i + 1}"));
        }

        var backward = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await _page.Keyboard.PressAsync("Shift+Tab");
            backward.Add(await FocusInsideDialogAsync($"after Shift+Tab #{i + 1}"));
        }

        // Both directions went round the dialog's controls (code, Verify, Cancel) more than once.
        string[] controls = ["reverify-code", "reverify-submit", "reverification-cancel"];
        Assert.All(controls, c => Assert.True(forward.Count(f => f == c) >= 3, $"Tab order: {string.Join(", ", forward)}"));
        Assert.All(controls, c => Assert.True(backward.Count(f => f == c) >= 3, $"Shift+Tab order: {string.Join(", ", backward)}"));

        // The page behind is inert: it takes no focus, even when asked directly.
        var focused = await _page.EvaluateAsync<string>("() => { document.getElementById('transfer-to').focus(); return document.activeElement.id; }");
        Assert.NotEqual("transfer-to", focused);
        await FocusInsideDialogAsync("after focusing a field behind the dialog");
    }

    [Fact]
    public async Task Dialog_BackdropClickedThenEscape_StillCancelsAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        // The top-left corner is backdrop (the dialog is centred); a click there keeps the dialog open.
        await _page.Mouse.ClickAsync(5, 5);
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await _page.Keyboard.PressAsync("Shift+Tab");
        await FocusInsideDialogAsync("after clicking the backdrop and pressing Shift+Tab");
        await _page.Mouse.ClickAsync(5, 5);
        await _page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Dialog_CancelEvent_DefaultPreventedAndTheRequestCancelled()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();

        await _page.ClickAsync("#transfer-button");
        await OpenModalAsync();

        // A cancelable "cancel" event, as Escape fires it: the browser must not close the dialog on its own (the
        // component closes it when the request is cancelled), so the event's default is prevented.
        var notPrevented = await _page.EvaluateAsync<bool>(
            "() => document.getElementById('reverification-dialog').dispatchEvent(new Event('cancel', { cancelable: true }))");

        Assert.False(notPrevented);
        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Transfer_StaleSessionWithoutSecondFactor_AsksForThePassword()
    {
        await _page.GotoAsync("/");
        await _page.FillAsync("#signin-email", DemoAccount.PasswordOnlyEmail);
        await _page.FillAsync("#signin-password", DemoAccount.PasswordOnlyPassword);
        await _page.ClickAsync("#signin-submit");
        await Assertions.Expect(_page.Locator("#account-email")).ToHaveTextAsync(DemoAccount.PasswordOnlyEmail);
        await AdvanceClockPastStrictAsync("password 11 min ago");
        var before = await app.CountTransfersAsync(DemoAccount.PasswordOnlyEmail);

        await _page.ClickAsync("#transfer-button");
        await Assertions.Expect(Dialog.Locator("#reverify-password")).ToBeVisibleAsync();
        await Assertions.Expect(Dialog.Locator("#reverify-code")).ToHaveCountAsync(0);
        await Dialog.Locator("#reverify-password").FillAsync(DemoAccount.PasswordOnlyPassword);
        await Dialog.Locator("#reverify-submit").ClickAsync();

        await Assertions.Expect(TransferStatus).ToContainTextAsync("Transfer sent");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before + 1, await app.CountTransfersAsync(DemoAccount.PasswordOnlyEmail));
    }

    /// <summary>Waits until the dialog is shown as a modal (showModal: the page behind is inert).</summary>
    private async Task OpenModalAsync()
    {
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("dialog#reverification-dialog:modal")).ToHaveCountAsync(1);
    }

    /// <summary>The id (or test id) of the focused element, after checking that it is inside the dialog.</summary>
    private async Task<string> FocusInsideDialogAsync(string when)
    {
        var focus = await _page.EvaluateAsync<FocusState>("""
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

    private async Task AdvanceClockPastStrictAsync(string expectedAge = "second factor 11 min ago")
    {
        await app.AdvanceClockAsync(PastStrict);
        await _page.ClickAsync("#refresh-account");
        await Assertions.Expect(_page.Locator("#verified-ages")).ToContainTextAsync(expectedAge);
    }

    private async Task SignInWithAuthenticatorAsync()
    {
        await _page.GotoAsync("/");
        await _page.FillAsync("#signin-email", DemoAccount.TotpEmail);
        await _page.FillAsync("#signin-password", DemoAccount.TotpPassword);
        await _page.ClickAsync("#signin-submit");
        await _page.FillAsync("#signin-code", DemoAccount.CurrentCode());
        await _page.ClickAsync("#signin-submit");
        await Assertions.Expect(_page.Locator("#account-email")).ToHaveTextAsync(DemoAccount.TotpEmail);
    }

    private async Task SaveModalScreenshotAsync()
    {
        Directory.CreateDirectory(SampleAppFixture.ArtifactsDirectory);
        var path = Path.Combine(SampleAppFixture.ArtifactsDirectory, "reverification-modal.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path });

        // REVERIFICATION_UPDATE_SCREENSHOT=1 refreshes the picture the docs show (docs/images/reverification-modal.png).
        if (Environment.GetEnvironmentVariable("REVERIFICATION_UPDATE_SCREENSHOT") == "1")
        {
            var docs = Path.Combine(SampleAppFixture.RepositoryRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, "reverification-modal.png"), overwrite: true);
        }
    }

    private sealed class FocusState
    {
        public bool Inside { get; set; }

        public string Name { get; set; } = "";
    }
}
