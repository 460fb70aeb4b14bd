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
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));
    }

    [Fact]
    public async Task Transfer_StaleSessionEscapePressed_ShowsCancelledAndTransfersNothing()
    {
        await SignInWithAuthenticatorAsync();
        await AdvanceClockPastStrictAsync();
        var before = await app.CountTransfersAsync(DemoAccount.TotpEmail);

        await _page.ClickAsync("#transfer-button");
        await Assertions.Expect(Dialog).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(TransferStatus).ToContainTextAsync("cancelled");
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
        Assert.Equal(before, await app.CountTransfersAsync(DemoAccount.TotpEmail));
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
}
