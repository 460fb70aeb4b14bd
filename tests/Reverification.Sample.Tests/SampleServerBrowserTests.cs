using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// The Blazor Server page (<c>/server/transfer</c>, interactive Server) in headless Chromium: a service in the circuit
/// demands <c>strict</c> (<c>CircuitReverification.EnsureAsync</c>) and the page wraps the call in
/// <c>ReverificationRunner.RunAsync</c>; a stale session is prompted in the circuit's dialog, the verification reaches
/// the circuit, and the action runs once more.
/// </summary>
[Collection(SampleAppTests.Name)]
public sealed class SampleServerBrowserTests(SampleAppFixture app) : IAsyncLifetime
{
    private BrowserSession _session = null!;
    private TestAccount _account = null!;

    public async Task InitializeAsync() => _session = await BrowserSession.OpenAsync(app);

    public async Task DisposeAsync() => await _session.DisposeAsync();

    private IPage Page => _session.Page;

    private ILocator Status => Page.Locator("#server-transfer-status");

    [Fact]
    public async Task ServerAction_FreshSession_RunsWithoutPrompt()
    {
        await OpenServerPageAsync(stale: false);

        await Page.ClickAsync("#server-transfer-button");

        await Assertions.Expect(Status).ToHaveTextAsync("Transfer sent: 25.00 to Carol. New balance 975.00.");
        await Assertions.Expect(_session.Dialog).ToHaveCountAsync(0);
        Assert.Equal(1, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task ServerAction_StaleSession_PromptsThenRunsOnceMore()
    {
        await OpenServerPageAsync(stale: true);

        await Page.ClickAsync("#server-transfer-button");

        await _session.OpenModalAsync();
        Assert.Equal(0, await app.CountTransfersAsync(_account.Email));
        await _session.SaveScreenshotAsync("server-action-prompt.png");
        await _session.SubmitCodeAsync(await app.FreshCodeAsync(_account));

        await Assertions.Expect(Status).ToHaveTextAsync("Transfer sent: 25.00 to Carol. New balance 975.00.");
        await Assertions.Expect(Page.Locator("#server-balance")).ToHaveTextAsync("975.00");
        Assert.Equal(1, await app.CountTransfersAsync(_account.Email));

        // The circuit has the fresh verification now: the next action runs without a prompt.
        await Page.ClickAsync("#server-transfer-button");
        await Assertions.Expect(Status).ToHaveTextAsync("Transfer sent: 25.00 to Carol. New balance 950.00.");
        Assert.Equal(2, await app.CountTransfersAsync(_account.Email));
    }

    [Fact]
    public async Task ServerAction_PromptCancelled_RunsNothing()
    {
        await OpenServerPageAsync(stale: true);

        await Page.ClickAsync("#server-transfer-button");
        await _session.OpenModalAsync();
        await _session.Dialog.GetByTestId("reverification-cancel").ClickAsync();

        await Assertions.Expect(Status).ToHaveTextAsync("Transfer cancelled: the verification was cancelled, so no money was sent.");
        await Assertions.Expect(_session.Dialog).ToHaveCountAsync(0);
        Assert.Equal(0, await app.CountTransfersAsync(_account.Email));
    }

    /// <summary>Signs a new account in on the WebAssembly pages, then opens the Server page from the top bar (a full page load).</summary>
    private async Task OpenServerPageAsync(bool stale)
    {
        _account = await app.CreateUserAsync(withAuthenticator: true);
        await _session.SignInAsync(_account);
        if (stale)
        {
            await _session.AdvanceClockPastStrictAsync();
        }

        await Page.ClickAsync("#nav-server");
        await Assertions.Expect(Page.Locator("#server-account-email")).ToHaveTextAsync(_account.Email);
    }
}
