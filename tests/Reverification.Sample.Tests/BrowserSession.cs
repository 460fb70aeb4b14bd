using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// One browser context (its own cookies) and page on the shared Chromium, with the steps the browser tests share:
/// signing in through the sign-in card, moving the sample's clock, the dialog, screenshots, and Chromium's virtual
/// WebAuthn authenticator.
/// </summary>
public sealed class BrowserSession(SampleAppFixture app, IBrowserContext context, IPage page) : IAsyncDisposable
{
    public static readonly TimeSpan PastStrict = TimeSpan.FromMinutes(11);

    public IPage Page { get; } = page;

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public static async Task<BrowserSession> OpenAsync(SampleAppFixture app)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1000, Height = 760 },
        });
        context.SetDefaultTimeout(20_000);
        return new BrowserSession(app, context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();

    /// <summary>
    /// Signs in on the sign-in card: email and password; for an account with an authenticator the sample answers
    /// that the code may be needed (the same answer as for a wrong password), the code field appears focused, and the
    /// code goes there.
    /// </summary>
    public async Task SignInAsync(TestAccount account)
    {
        await Page.GotoAsync("/");
        await Page.FillAsync("#signin-email", account.Email);
        await Page.FillAsync("#signin-password", account.Password);
        await Page.ClickAsync("#signin-submit");
        if (account.Secret is not null)
        {
            await Assertions.Expect(Page.Locator("#signin-code")).ToBeFocusedAsync();
            await Page.Keyboard.TypeAsync(await app.FreshCodeAsync(account));
            await Page.Keyboard.PressAsync("Enter");
        }

        await Assertions.Expect(Page.Locator("#account-email")).ToHaveTextAsync(account.Email);
    }

    /// <summary>Moves the sample's clock past <c>strict</c> and waits until the dashboard shows the new age.</summary>
    public async Task AdvanceClockPastStrictAsync(string expectedAge = "11 min ago")
    {
        await app.AdvanceClockAsync(PastStrict);
        await Page.ClickAsync("#refresh-account");
        await Assertions.Expect(Page.Locator("#verified-ages")).ToContainTextAsync(expectedAge);
    }

    /// <summary>Waits until the dialog is shown as a modal (showModal: the page behind is inert).</summary>
    public async Task OpenModalAsync()
    {
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("dialog#reverification-dialog:modal")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// Types the password into the dialog and presses Verify; for <c>strict_mfa</c> the ready form then asks for the
    /// code (focused), which this waits for.
    /// </summary>
    public async Task SubmitPasswordAsync(string password)
    {
        await Dialog.Locator("#reverification-password").FillAsync(password);
        await Dialog.GetByTestId("reverification-submit").ClickAsync();
        await Assertions.Expect(Dialog.Locator("#reverification-code")).ToBeFocusedAsync();
    }

    /// <summary>Types <paramref name="code"/> into the dialog's code field and presses Verify.</summary>
    public async Task SubmitCodeAsync(string code)
    {
        await Dialog.Locator("#reverification-code").FillAsync(code);
        await Dialog.GetByTestId("reverification-submit").ClickAsync();
    }

    /// <summary>
    /// Gives the page an authenticator as a phone or laptop has one built in, through the DevTools protocol: CTAP2,
    /// internal transport, discoverable credentials, and user verification that always succeeds (as a fingerprint
    /// would). Chromium answers <c>navigator.credentials.create()</c> and <c>get()</c> with it, without a dialog.
    /// </summary>
    public async Task<ICDPSession> AddVirtualAuthenticatorAsync()
    {
        var cdp = await context.NewCDPSessionAsync(Page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return cdp;
    }

    /// <summary>
    /// Saves a screenshot to the test output's <c>artifacts/</c>; with <c>REVERIFICATION_UPDATE_SCREENSHOT=1</c> also to
    /// <c>docs/images/</c>, the pictures the README and docs show.
    /// </summary>
    public async Task SaveScreenshotAsync(string name, bool fullPage = false)
    {
        Directory.CreateDirectory(SampleAppFixture.ArtifactsDirectory);
        var path = Path.Combine(SampleAppFixture.ArtifactsDirectory, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        if (Environment.GetEnvironmentVariable("REVERIFICATION_UPDATE_SCREENSHOT") == "1")
        {
            var docs = Path.Combine(SampleAppFixture.RepositoryRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name), overwrite: true);
        }
    }
}
