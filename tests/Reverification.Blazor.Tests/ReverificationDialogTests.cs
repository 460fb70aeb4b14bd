using System.Net;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Reverification.Client;

namespace Reverification.Blazor.Tests;

public sealed class ReverificationDialogTests : BunitContext
{
    private const string ModulePath = "./_content/Reverification.Blazor/reverificationDialog.js";

    private readonly BunitJSModuleInterop _module;
    private readonly JSRuntimeInvocationHandler<bool> _open;

    public ReverificationDialogTests()
    {
        Services.AddReverificationBlazor();

        // Strict: every call the component makes into JavaScript must be one of these.
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule(ModulePath);
        _open = _module.Setup<bool>("open", i => i.Arguments is [ElementReference]);
        _open.SetResult(true);
        _module.SetupVoid("restoreFocus").SetVoidResult();
    }

    /// <summary>
    /// An interactive renderer, as in a Blazor Server circuit or WebAssembly (prerendering is not interactive). Set just
    /// before rendering: the renderer's services are fixed from then on, and some tests add their own first.
    /// </summary>
    private ReverificationDialogTests Interactive()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return this;
    }

    private ReverificationDialogService DialogService => Services.GetRequiredService<ReverificationDialogService>();

    /// <summary>The app's form: a code field and a Verify button that completes, or sets an error for a wrong code.</summary>
    private static RenderFragment<ReverificationDialogContext> Form => context => builder =>
    {
        builder.OpenElement(0, "p");
        builder.AddAttribute(1, "data-testid", "form-level");
        builder.AddContent(2, context.Challenge.ToString());
        builder.CloseElement();
        builder.OpenElement(3, "input");
        builder.AddAttribute(4, "data-testid", "code");
        builder.CloseElement();
        builder.OpenElement(5, "button");
        builder.AddAttribute(6, "data-testid", "verify");
        builder.AddAttribute(7, "onclick", EventCallback.Factory.Create<MouseEventArgs>(new object(), context.Complete));
        builder.AddContent(8, "Verify");
        builder.CloseElement();
        builder.OpenElement(9, "button");
        builder.AddAttribute(10, "data-testid", "wrong");
        builder.AddAttribute(11, "onclick", EventCallback.Factory.Create<MouseEventArgs>(new object(), () => context.SetError("Wrong code.")));
        builder.AddContent(12, "Wrong");
        builder.CloseElement();
    };

    private IRenderedComponent<ReverificationDialog> RenderDialog(Action<ComponentParameterCollectionBuilder<ReverificationDialog>>? parameters = null)
        => Interactive().Render<ReverificationDialog>(p =>
        {
            p.Add(d => d.ChildContent, Form);
            parameters?.Invoke(p);
        });

    private static void WaitForDialog(IRenderedComponent<ReverificationDialog> cut)
        => cut.WaitForElement("[data-testid=reverification-dialog]");

    private static void WaitForClosed(IRenderedComponent<ReverificationDialog> cut)
        => cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]")));

    [Fact]
    public void Render_NothingAsked_NoDialog()
    {
        var cut = RenderDialog();

        Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]"));
        Assert.True(DialogService.HasDialog);
    }

    [Fact]
    public void ReverifyAsync_Opens_NativeDialogShownAsModalLabelledAndDescribed()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        var dialog = cut.Find("[data-testid=reverification-dialog]");
        Assert.Equal("DIALOG", dialog.TagName);
        Assert.Equal("reverification-dialog", dialog.Id);
        Assert.Equal("strict", dialog.GetAttribute("data-level"));
        Assert.Equal("second_factor", dialog.GetAttribute("data-factors"));
        var title = cut.Find("#" + dialog.GetAttribute("aria-labelledby"));
        Assert.Equal("Confirm it's you", title.TextContent);
        var description = cut.Find("#" + dialog.GetAttribute("aria-describedby"));
        Assert.Contains("second factor", description.TextContent, StringComparison.Ordinal);
        Assert.Contains("10 minutes", description.TextContent, StringComparison.Ordinal);
        Assert.Equal("strict", cut.Find("[data-testid=form-level]").TextContent);
        Assert.Equal("Cancel", cut.Find("[data-testid=reverification-cancel]").TextContent);
        Assert.False(result.IsCompleted);

        // Shown as a modal by the script (showModal makes the page inert), not with the open attribute (non-modal).
        Assert.False(dialog.HasAttribute("open"));
        cut.WaitForAssertion(() => Assert.Equal(
            dialog.GetAttribute("blazor:elementReference"),
            Assert.IsType<ElementReference>(Assert.Single(_open.Invocations).Arguments[0]).Id));
    }

    [Fact]
    public void ReverifyAsync_Approval_SummaryShownAndPartOfTheDescription()
    {
        var cut = RenderDialog(p => p.Add(d => d.ChildContent, context => builder =>
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "form-approval-id");
            builder.AddContent(2, context.Approval?.Id);
            builder.CloseElement();
        }));
        Assert.True(ReverificationChallenge.TryParse(
            "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict\",\"approval\":{\"id\":\"abc_DEF-123\",\"summary\":\"Send 25.00 EUR to <b>Carol</b>\",\"expiresIn\":300}}}}",
            out var challenge));

        _ = DialogService.ReverifyAsync(challenge, CancellationToken.None);
        WaitForDialog(cut);

        var dialog = cut.Find("[data-testid=reverification-dialog]");
        var describedBy = dialog.GetAttribute("aria-describedby")!.Split(' ');
        Assert.Equal([ReverificationDialog.DescriptionId, ReverificationDialog.ApprovalId], describedBy);
        var approval = cut.Find("#" + ReverificationDialog.ApprovalId);
        Assert.Equal("You approve: Send 25.00 EUR to <b>Carol</b>", approval.TextContent);
        // Text, never markup: a hostile summary cannot inject elements into the dialog.
        Assert.Empty(approval.QuerySelectorAll("b"));
        Assert.Equal("abc_DEF-123", cut.Find("[data-testid=form-approval-id]").TextContent);
    }

    [Fact]
    public void ReverifyAsync_NoApproval_NoSummaryElement()
    {
        var cut = RenderDialog();
        _ = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        Assert.Empty(cut.FindAll("#" + ReverificationDialog.ApprovalId));
        Assert.Equal(ReverificationDialog.DescriptionId, cut.Find("[data-testid=reverification-dialog]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task Complete_FromTheForm_ReturnsTrueClosesAndRestoresFocus()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.Find("[data-testid=verify]").Click();

        Assert.True(await result);
        WaitForClosed(cut);
        Assert.Null(DialogService.Current);
        cut.WaitForAssertion(() => _module.VerifyInvoke("restoreFocus"));
    }

    [Fact]
    public async Task CancelButton_ReturnsFalseAndCloses()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.StrictMfa, CancellationToken.None);
        WaitForDialog(cut);
        cut.Find("[data-testid=reverification-cancel]").Click();

        Assert.False(await result);
        WaitForClosed(cut);
    }

    [Fact]
    public async Task CancelEvent_Escape_CancelsTheRequestAndRestoresFocus()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        var dialog = cut.Find("[data-testid=reverification-dialog]");

        // The browser fires "cancel" on a modal dialog for Escape wherever focus is (the module prevents its default,
        // see the browser tests); the component closes the dialog by cancelling the request.
        dialog.Cancel();

        Assert.False(await result);
        WaitForClosed(cut);
        cut.WaitForAssertion(() => _module.VerifyInvoke("restoreFocus"));
    }

    [Fact]
    public async Task CloseEvent_BrowserClosedTheDialog_CancelsTheRequest()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.Find("[data-testid=reverification-dialog]").Close();

        Assert.False(await result);
        WaitForClosed(cut);
    }

    [Fact]
    public async Task Escape_KeyDownInsideTheDialog_Cancels()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.Find("[data-testid=reverification-dialog]").KeyDown(new KeyboardEventArgs { Key = "Escape" });

        Assert.False(await result);
        WaitForClosed(cut);
    }

    [Fact]
    public void OtherKeys_KeepTheDialogOpen()
    {
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.Find("[data-testid=reverification-dialog]").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.Find("[data-testid=reverification-dialog]").KeyDown(new KeyboardEventArgs { Key = "Tab" });

        Assert.False(result.IsCompleted);
        Assert.NotEmpty(cut.FindAll("[data-testid=reverification-dialog]"));
    }

    [Fact]
    public async Task ReverifyAsync_SecondRequestReplacesTheFirst_ShowsOnceAndRestoresFocusOnce()
    {
        var cut = RenderDialog();

        var first = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.WaitForAssertion(() => Assert.Single(_open.Invocations));
        var second = DialogService.ReverifyAsync(ReverificationChallenge.StrictMfa, CancellationToken.None);
        Assert.False(await first);
        cut.WaitForAssertion(() => Assert.Equal("strict_mfa", cut.Find("[data-testid=reverification-dialog]").GetAttribute("data-level")));
        cut.Find("[data-testid=verify]").Click();
        Assert.True(await second);
        WaitForClosed(cut);

        // The dialog stayed shown while one request replaced the other: shown once, and focus given back once.
        cut.WaitForAssertion(() => _module.VerifyInvoke("restoreFocus", calledTimes: 1));
        Assert.Single(_open.Invocations);
    }

    [Fact]
    public async Task Open_ElementNotInThePageYet_TriesOnTheNextRenders_ThenShowsWithoutTheScript()
    {
        // Blazor Server applies a render batch in the browser later than the component may hear of a request: the
        // component renders again and retries a few times, and never leaves the request behind an invisible dialog.
        _open.SetResult(false);
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=reverification-dialog]").HasAttribute("open")));
        Assert.Equal(3, _open.Invocations.Count);
        cut.Find("[data-testid=reverification-dialog]").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        Assert.False(await result);
    }

    [Fact]
    public void Open_NotShownYetWhenAnotherRequestReplacesIt_StillShown()
    {
        _open.SetResult(false);
        var cut = RenderDialog();

        _ = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        _ = DialogService.ReverifyAsync(ReverificationChallenge.StrictMfa, CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Equal("strict_mfa", cut.Find("[data-testid=reverification-dialog]").GetAttribute("data-level")));
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=reverification-dialog]").HasAttribute("open")));
    }

    [Fact]
    public async Task Open_ScriptFails_ShowsTheDialogOpenSoTheRequestNeverWaitsBehindNothing()
    {
        _open.SetException(new JSException("showModal failed"));
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=reverification-dialog]").HasAttribute("open")));
        cut.Find("[data-testid=reverification-dialog]").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        Assert.False(await result);
        WaitForClosed(cut);
    }

    [Fact]
    public async Task Open_ModuleCannotBeLoaded_ShowsTheDialogOpen()
    {
        Services.AddSingleton<IJSRuntime>(new FailingJSRuntime());
        var cut = RenderDialog();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=reverification-dialog]").HasAttribute("open")));
        Assert.Empty(_open.Invocations);
        cut.Find("[data-testid=reverification-cancel]").Click();
        Assert.False(await result);
        WaitForClosed(cut);
    }

    [Fact]
    public async Task DisposeAsync_WhileOpen_ReleasesTheFocusTrap()
    {
        var cut = RenderDialog();
        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        cut.WaitForAssertion(() => Assert.Single(_open.Invocations));

        await DisposeComponentsAsync();

        _module.VerifyInvoke("restoreFocus");
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => result);
    }

    [Fact]
    public void SetError_ShowsAlert()
    {
        var cut = RenderDialog();

        _ = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        Assert.Empty(cut.FindAll("[data-testid=reverification-error]"));
        cut.Find("[data-testid=wrong]").Click();

        cut.WaitForAssertion(() =>
        {
            var error = cut.Find("[data-testid=reverification-error]");
            Assert.Equal("alert", error.GetAttribute("role"));
            Assert.Equal("Wrong code.", error.TextContent);
        });
        Assert.Equal("Wrong code.", DialogService.Current!.ErrorMessage);
    }

    [Theory]
    [InlineData("strict_mfa", "multi_factor", "both your password and your second factor", "10 minutes")]
    [InlineData("moderate", "second_factor", "second factor", "1 hour")]
    [InlineData("lax", "second_factor", "second factor", "24 hours")]
    public void Labels_Presets_SayFactorsAndAge(string level, string factors, string factorText, string ageText)
    {
        var cut = RenderDialog();
        var challenge = ReverificationChallenge.Presets.Single(p => p.LevelName == level);

        _ = DialogService.ReverifyAsync(challenge, CancellationToken.None);
        WaitForDialog(cut);

        Assert.Equal(factors, cut.Find("[data-testid=reverification-dialog]").GetAttribute("data-factors"));
        var description = cut.Find("[data-testid=reverification-description]").TextContent;
        Assert.Contains(factorText, description, StringComparison.Ordinal);
        Assert.Contains("last " + ageText + ".", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_CustomFirstFactorLevel_SaysPasswordAndFractionalMinutes()
    {
        var cut = RenderDialog(p => p.Add(d => d.Title, "Sudo mode").Add(d => d.CancelText, "Not now"));

        _ = DialogService.ReverifyAsync(new ReverificationChallenge(ReverificationFactors.FirstFactor, 2.5), CancellationToken.None);
        WaitForDialog(cut);

        var dialog = cut.Find("[data-testid=reverification-dialog]");
        Assert.Equal(string.Empty, dialog.GetAttribute("data-level"));
        Assert.Equal("first_factor", dialog.GetAttribute("data-factors"));
        Assert.Equal(
            "Confirm it's you with your password. This action needs a verification from the last 2.5 minutes.",
            cut.Find("[data-testid=reverification-description]").TextContent);
        Assert.Equal("Sudo mode", cut.Find("[data-testid=reverification-title]").TextContent);
        Assert.Equal("Not now", cut.Find("[data-testid=reverification-cancel]").TextContent);
    }

    [Fact]
    public void Description_Parameter_ReplacesTheText()
    {
        var cut = RenderDialog(p => p.Add(d => d.Description, c => $"Bitte bestätigen ({c})"));

        _ = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);

        Assert.Equal("Bitte bestätigen (strict)", cut.Find("[data-testid=reverification-description]").TextContent);
    }

    [Fact]
    public async Task ReverifyAsync_NoDialogRendered_ThrowsInsteadOfWaiting()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None));

        Assert.Contains("<ReverificationDialog>", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReverifyAsync_DialogDisposed_ThrowsInsteadOfWaiting()
    {
        var cut = RenderDialog();
        await DisposeComponentsAsync();

        Assert.False(DialogService.HasDialog);
        await Assert.ThrowsAsync<InvalidOperationException>(() => DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_LastDialogWhileOpen_FailsTheCallWithReverificationCancelled()
    {
        var cut = RenderDialog();
        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        WaitForDialog(cut);
        var context = DialogService.Current!;

        // What happens when a Blazor Server circuit ends: its components are disposed.
        await DisposeComponentsAsync();

        // Checked before awaiting, so that a missing fix fails here instead of hanging the test.
        Assert.True(context.IsClosed, "The request must end when nobody can answer the prompt any more.");
        Assert.True(context.Closed.IsCancellationRequested);
        Assert.Null(DialogService.Current);
        Assert.False(DialogService.HasDialog);
        var exception = await Assert.ThrowsAsync<ReverificationCancelledException>(() => result);
        Assert.Equal("reverification_cancelled", exception.Code);
        Assert.Contains("dialog went away", exception.Message, StringComparison.Ordinal);
        Assert.Contains("strict", exception.Message, StringComparison.Ordinal);
        Assert.Same(ReverificationChallenge.Strict, exception.Challenge);
    }

    [Fact]
    public async Task DisposeAsync_LayoutRemovesTheDialogWhileOpen_FailsTheCall()
    {
        var host = Interactive().Render<DialogHost>();
        var result = DialogService.ReverifyAsync(ReverificationChallenge.StrictMfa, CancellationToken.None);
        host.WaitForElement("[data-testid=reverification-dialog]");
        var context = DialogService.Current!;

        host.Render(p => p.Add(h => h.First, false));

        Assert.Empty(host.FindAll("[data-testid=reverification-dialog]"));
        Assert.True(context.IsClosed);
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => result);
    }

    [Fact]
    public async Task Layout_SwapsOneDialogForAnotherWhileOpen_KeepsTheRequestOpen()
    {
        // A navigation to a page with another layout: the old dialog goes and a new one comes in the same render.
        var host = Interactive().Render<DialogHost>();
        var result = DialogService.ReverifyAsync(ReverificationChallenge.StrictMfa, CancellationToken.None);
        host.WaitForElement("[data-testid=reverification-dialog]");
        var context = DialogService.Current!;

        host.Render(p =>
        {
            p.Add(h => h.First, false);
            p.Add(h => h.Second, true);
        });

        Assert.False(context.IsClosed);
        Assert.Same(context, DialogService.Current);
        host.WaitForAssertion(() => Assert.Equal("strict_mfa", host.Find("[data-testid=reverification-dialog]").GetAttribute("data-level")));
        host.Find("[data-testid=reverification-cancel]").Click();
        Assert.False(await result);
    }

    [Fact]
    public async Task DisposeAsync_AnotherDialogStillRendered_KeepsTheRequestOpen()
    {
        var host = Interactive().Render<DialogHost>(p => p.Add(h => h.Second, true));
        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        host.WaitForAssertion(() => Assert.Equal(2, host.FindAll("[data-testid=reverification-dialog]").Count));

        var context = DialogService.Current!;
        host.Render(p => p.Add(h => h.First, false));

        Assert.False(context.IsClosed);
        Assert.Same(context, DialogService.Current);
        host.Find("[data-testid=reverification-cancel]").Click();
        Assert.False(await result);

        var next = DialogService.ReverifyAsync(ReverificationChallenge.Strict, CancellationToken.None);
        host.WaitForElement("[data-testid=reverification-dialog]");
        var nextContext = DialogService.Current!;
        host.Render(p => p.Add(h => h.Second, false));
        Assert.True(nextContext.IsClosed);
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => next);
    }

    [Fact]
    public async Task Handler_DialogDisposedWhileOpen_CallerGetsReverificationCancelledNotAHang()
    {
        var cut = RenderDialog();
        var sent = 0;
        var inner = new StubHandler(() =>
        {
            sent++;
            return new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", Encoding.UTF8, "application/json"),
            };
        });
        using var client = new HttpClient(new ReverificationHandler(Services.GetRequiredService<IReverificationPrompt>()) { InnerHandler = inner })
        {
            BaseAddress = new Uri("https://api.test/"),
        };

        var call = client.PostAsync("transfer", new StringContent("{}"));
        WaitForDialog(cut);
        var context = DialogService.Current!;
        await DisposeComponentsAsync();

        Assert.True(context.IsClosed);
        await Assert.ThrowsAsync<ReverificationCancelledException>(() => call);
        Assert.Equal(1, sent);
    }

    [Fact]
    public async Task ReverifyAsync_TokenCancelled_ClosesDialog()
    {
        var cut = RenderDialog();
        using var cancellation = new CancellationTokenSource();

        var result = DialogService.ReverifyAsync(ReverificationChallenge.Strict, cancellation.Token);
        WaitForDialog(cut);
        var context = DialogService.Current!;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => result);
        WaitForClosed(cut);
        Assert.True(context.IsClosed);
        Assert.True(context.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task Handler_WithDialog_CancelGivesReverificationCancelledAndVerifyRetries()
    {
        var cut = RenderDialog();
        var fresh = false;
        var inner = new StubHandler(() => fresh
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("sent") }
            : new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""", Encoding.UTF8, "application/json"),
            });
        using var client = new HttpClient(new ReverificationHandler(Services.GetRequiredService<IReverificationPrompt>()) { InnerHandler = inner })
        {
            BaseAddress = new Uri("https://api.test/"),
        };

        var cancelled = client.PostAsync("transfer", new StringContent("{}"));
        WaitForDialog(cut);
        cut.Find("[data-testid=reverification-cancel]").Click();
        var exception = await Assert.ThrowsAsync<ReverificationCancelledException>(() => cancelled);
        Assert.Equal("reverification_cancelled", exception.Code);
        WaitForClosed(cut);

        var verified = client.PostAsync("transfer", new StringContent("{}"));
        WaitForDialog(cut);
        fresh = true;
        cut.Find("[data-testid=verify]").Click();
        using var response = await verified;
        Assert.Equal("sent", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A browser where every call fails, as when the module's file is not served.</summary>
    private sealed class FailingJSRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
            => ValueTask.FromException<TValue>(new JSException($"Could not load {args?.FirstOrDefault()}"));

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
            => InvokeAsync<TValue>(identifier, args);
    }

    private sealed class StubHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(respond());
    }
}
