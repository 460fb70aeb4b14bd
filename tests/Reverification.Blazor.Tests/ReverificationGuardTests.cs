using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Reverification.Blazor.Internal;
using Reverification.Client;
using Reverification.Blazor.Tests.Guard;

namespace Reverification.Blazor.Tests;

/// <summary>
/// The guard in the router: a route view inside it, the layout with the real dialog, the browser's fetch of
/// <c>/reverify/check</c> mocked by bUnit's JS interop in strict mode.
/// </summary>
public sealed class ReverificationGuardTests : BunitContext
{
    private const string Stale = """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""";

    private readonly BunitJSModuleInterop _script;

    public ReverificationGuardTests()
    {
        Services.AddReverificationBlazor();
        JSInterop.Mode = JSRuntimeMode.Strict;
        var dialog = JSInterop.SetupModule("./_content/Reverification.Blazor/reverificationDialog.js");
        dialog.Setup<bool>("open", _ => true).SetResult(true);
        dialog.SetupVoid("restoreFocus").SetVoidResult();
        _script = JSInterop.SetupModule(FormScript.ModulePath);
    }

    private ReverificationDialogService DialogService => Services.GetRequiredService<ReverificationDialogService>();

    private JSRuntimeInvocationHandler<EndpointResponse> Check(string query)
        => _script.Setup<EndpointResponse>("send", i => (string?)i.Arguments[0] == "GET" && (string?)i.Arguments[1] == "/reverify/check?" + query);

    private IRenderedComponent<GuardHost> Interactive<TPage>()
        where TPage : IComponent
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<GuardHost>(p => p.Add(h => h.Page, typeof(TPage)));
    }

    private static string? Page(IRenderedComponent<GuardHost> cut) => cut.FindAll("[data-testid=page]").SingleOrDefault()?.TextContent;

    /// <summary>The server's decision in a circuit, as <c>AddReverificationBlazorServer()</c> registers it; answers as set.</summary>
    private sealed class ServerCheck : IReverificationPageCheck
    {
        public ReverificationChallenge? Answer { get; set; }

        public int Calls { get; private set; }

        public List<string> Asked { get; } = [];

        public Task<ReverificationChallenge?> CheckAsync(string levelName, CancellationToken cancellationToken)
        {
            Calls++;
            Asked.Add(levelName);
            return Task.FromResult(Answer);
        }

        public Task<ReverificationChallenge?> CheckAsync(ReverificationFactors factors, double maxAgeMinutes, CancellationToken cancellationToken)
        {
            Calls++;
            Asked.Add(new ReverificationChallenge(factors, maxAgeMinutes).ToString());
            return Task.FromResult(Answer);
        }
    }

    /// <summary>An app on bearer tokens: its header, or a failure to give one.</summary>
    private sealed class Bearer(string? header, bool throws = false) : IReverificationFormAuthorization
    {
        public ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken)
            => throws ? throw new InvalidOperationException("refresh failed") : ValueTask.FromResult(header);

        public ValueTask OnVerifiedAsync(int status, string body, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public void BearerApp_CheckCarriesTheHeaderAndNoCookie_ThenRenders()
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new Bearer("Bearer t"));
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(204, string.Empty));

        var cut = Interactive<StrictPage>();

        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));
        Assert.Equal(new EndpointRequestOptions("Bearer t", "omit", null), (EndpointRequestOptions?)Assert.Single(check.Invocations).Arguments[3]);
    }

    [Fact]
    public void BearerApp_NoHeaderToBeHad_ErrorNotThePageAndNothingSent()
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new Bearer(null, throws: true));
        var check = Check("level=strict");

        var cut = Interactive<StrictPage>();

        cut.WaitForAssertion(() => Assert.Contains("Your sign-in token could not be renewed", cut.Find("[data-testid=reverification-guard-error]").TextContent, StringComparison.Ordinal));
        Assert.Null(Page(cut));
        Assert.Empty(check.Invocations);
    }

    [Fact]
    public void CookieApp_AbsolutePrefix_RefusedWhenTheGuardRenders()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var error = Assert.Throws<InvalidOperationException>(() => Render<GuardHost>(p => p
            .Add(h => h.Page, typeof(StrictPage))
            .Add(h => h.EndpointPrefix, "https://evil.example/reverify")));

        Assert.Contains("ReverificationGuard.EndpointPrefix", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void ServerCircuit_StaleOnTheServer_TheBrowsersWordDoesNotCount_PromptsThenRenders()
    {
        // A hostile browser would answer 204 to any /check: with the server's check registered it is never asked.
        var server = new ServerCheck { Answer = ReverificationChallenge.Strict };
        Services.AddSingleton<IReverificationPageCheck>(server);
        Check("level=strict").SetResult(new EndpointResponse(204, string.Empty));
        var cut = Interactive<StrictPage>();

        var dialog = cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Equal("strict", dialog.GetAttribute("data-level"));
        Assert.Null(Page(cut));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");

        server.Answer = null;
        cut.Find("[data-testid=verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));
        Assert.Equal(2, server.Calls);
    }

    [Fact]
    public void ServerCircuit_StillStaleAfterVerifying_CancelledViewNeverThePage()
    {
        Services.AddSingleton<IReverificationPageCheck>(new ServerCheck { Answer = ReverificationChallenge.Strict });
        var cut = Interactive<StrictPage>();

        cut.WaitForElement("[data-testid=verify]").Click();

        cut.WaitForElement("[data-testid=reverification-guard-cancelled]");
        Assert.Null(Page(cut));
    }

    [Fact]
    public void ServerCircuit_FreshOnTheServer_RendersWithoutAskingTheBrowser()
    {
        Services.AddSingleton<IReverificationPageCheck>(new ServerCheck());
        var cut = Interactive<StrictPage>();

        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void PageWithoutRequirement_RendersAtOnceWithoutARequest()
    {
        var cut = Interactive<PlainPage>();

        Assert.Equal(nameof(PlainPage), Page(cut));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void Fresh_ServerSays204_RendersThePage()
    {
        var check = Check("level=strict");
        var cut = Interactive<StrictPage>();
        Assert.Null(Page(cut));
        Assert.Single(cut.FindAll("[data-testid=reverification-guard-checking]"));
        // The placeholder is inside the layout, where the dialog is.
        Assert.Single(cut.FindAll("[data-testid=layout] [data-testid=reverification-guard-checking]"));

        check.SetResult(new EndpointResponse(204, string.Empty));

        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));
        Assert.Single(check.Invocations);
    }

    [Fact]
    public void Stale_OpensTheDialog_RendersThePageOnlyAfterSuccess()
    {
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(403, Stale));
        var cut = Interactive<StrictPage>();

        var dialog = cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Equal("strict", dialog.GetAttribute("data-level"));
        Assert.Null(Page(cut));
        Assert.Single(cut.FindAll("[data-testid=reverification-guard-checking]"));

        check.SetResult(new EndpointResponse(204, string.Empty));
        cut.Find("[data-testid=verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));
        Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]"));
        Assert.Equal(2, check.Invocations.Count);
    }

    [Fact]
    public void Cancel_ShowsTheCancelledViewNeverThePage_RetryPromptsAgain()
    {
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(403, Stale));
        var cut = Interactive<StrictPage>();
        cut.WaitForElement("[data-testid=reverification-cancel]").Click();

        cut.WaitForElement("[data-testid=reverification-guard-cancelled]");
        Assert.Null(Page(cut));
        Assert.Single(check.Invocations);

        cut.Find("[data-testid=reverification-guard-retry]").Click();

        cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Equal(2, check.Invocations.Count);
        Assert.Null(Page(cut));
    }

    [Fact]
    public void Cancel_AppsOwnCancelledView()
    {
        Check("level=strict").SetResult(new EndpointResponse(403, Stale));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<ReverificationGuard>(p => p
            .Add(g => g.RouteData, new RouteData(typeof(StrictPage), new Dictionary<string, object?>()))
            .Add(g => g.Cancelled, retry => builder =>
            {
                builder.OpenElement(0, "button");
                builder.AddAttribute(1, "data-testid", "mine");
                builder.AddAttribute(2, "onclick", retry);
                builder.AddContent(3, "Verify to continue");
                builder.CloseElement();
            })
            .Add(g => g.ChildContent, route => builder =>
            {
                builder.OpenComponent<RouteView>(0);
                builder.AddComponentParameter(1, nameof(RouteView.RouteData), route);
                builder.AddComponentParameter(2, nameof(RouteView.DefaultLayout), typeof(GuardLayout));
                builder.CloseComponent();
            }));
        cut.WaitForElement("[data-testid=reverification-cancel]").Click();

        cut.WaitForElement("[data-testid=mine]").Click();

        cut.WaitForElement("[data-testid=reverification-dialog]");
    }

    [Fact]
    public void RefusedAgainAfterVerifying_CancelledViewNoLoop()
    {
        var prompts = new CountingPrompt(result: true);
        Services.AddSingleton<Reverification.Client.IReverificationPrompt>(prompts);
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(403, Stale));

        var cut = Interactive<StrictPage>();

        cut.WaitForElement("[data-testid=reverification-guard-cancelled]");
        Assert.Equal(1, prompts.Count);
        Assert.Equal(2, check.Invocations.Count);
        Assert.Null(Page(cut));
    }

    [Fact]
    public void Anonymous_SignedOutViewNeverThePage()
    {
        Check("level=strict").SetResult(new EndpointResponse(401, string.Empty));

        var cut = Interactive<StrictPage>();

        cut.WaitForElement("[data-testid=reverification-guard-signed-out]");
        Assert.Null(Page(cut));
        Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]"));
    }

    [Theory]
    [InlineData(400, """{"reason":"invalid_request","detail":"No level has that name."}""", "The verification could not be checked: No level has that name.")]
    [InlineData(0, "", "The server could not be reached to check your verification. Reload the page to try again.")]
    [InlineData(500, "oops", "The verification could not be checked (HTTP 500).")]
    [InlineData(403, """{"error":"forbidden"}""", "The verification could not be checked (HTTP 403).")]
    public void CheckFails_ErrorViewNeverThePage(int status, string body, string message)
    {
        Check("level=strict").SetResult(new EndpointResponse(status, body));

        var cut = Interactive<StrictPage>();

        cut.WaitForAssertion(() => Assert.Equal(message, cut.Find("[data-testid=reverification-guard-error]").TextContent));
        Assert.Null(Page(cut));
    }

    [Fact]
    public void TwoLevels_BothChecked()
    {
        var lax = Check("level=lax");
        lax.SetResult(new EndpointResponse(204, string.Empty));
        var mfa = Check("level=strict_mfa");
        mfa.SetResult(new EndpointResponse(204, string.Empty));

        var cut = Interactive<TwoLevelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(nameof(TwoLevelsPage), Page(cut)));
        Assert.Single(lax.Invocations);
        Assert.Single(mfa.Invocations);
    }

    [Fact]
    public void InlineLevel_AskedAsTheWireFormat()
    {
        var check = Check("level=second_factor&afterMinutes=2.5");
        check.SetResult(new EndpointResponse(204, string.Empty));

        var cut = Interactive<InlinePage>();

        cut.WaitForAssertion(() => Assert.Equal(nameof(InlinePage), Page(cut)));
    }

    [Fact]
    public void Navigation_ChecksEveryProtectedPageAgain()
    {
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(204, string.Empty));
        var cut = Interactive<StrictPage>();
        cut.WaitForAssertion(() => Assert.Equal(nameof(StrictPage), Page(cut)));

        check.SetResult(new EndpointResponse(403, Stale));
        cut.Instance.Navigate(typeof(OtherStrictPage));

        cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Null(Page(cut));
        Assert.Equal(2, check.Invocations.Count);
    }

    [Fact]
    public void ServerAttribute_Interactive_CheckedToo()
    {
        var check = Check("level=strict");
        check.SetResult(new EndpointResponse(403, Stale));

        var cut = Interactive<ServerStrictPage>();

        cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Null(Page(cut));
    }

    [Fact]
    public void ServerAttribute_StaticRender_ShownSinceTheServerEnforcedIt()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(ServerStrictPage)));

        Assert.Equal(nameof(ServerStrictPage), Page(cut));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void PageAttribute_StaticRender_ShownSinceTheServerEnforcedIt()
    {
        // The server enforces [RequireReverificationPage] on every HTTP request (BlazorPageRequirementTests in
        // Reverification.AspNetCore.Tests): a render without interactivity happens only inside a request it passed.
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(StrictPage)));

        Assert.Equal(nameof(StrictPage), Page(cut));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Theory]
    [InlineData(typeof(StrictPage))]
    [InlineData(typeof(ServerStrictPage))]
    public void StaticRender_WithTheServersCheck_StaleRequestUserGetsThePlaceholder(Type page)
    {
        // A host page that renders the router itself (a _Host fallback) was not authorized with the page's attributes:
        // where the server's check is registered, the request's user is checked before the page renders.
        var server = new ServerCheck { Answer = ReverificationChallenge.Strict };
        Services.AddSingleton<IReverificationPageCheck>(server);
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, page));

        Assert.Single(cut.FindAll("[data-testid=reverification-guard-checking]"));
        Assert.Null(Page(cut));
        Assert.Equal(["strict"], server.Asked);
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void StaticRender_WithTheServersCheck_FreshRequestUserSeesThePage()
    {
        var server = new ServerCheck();
        Services.AddSingleton<IReverificationPageCheck>(server);
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(StrictPage)));

        Assert.Equal(nameof(StrictPage), Page(cut));
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public void PageAttribute_Prerendering_ShownSinceTheServerEnforcedIt()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(StrictPage)).SetAssignedRenderMode(RenderMode.InteractiveWebAssembly));

        Assert.Equal(nameof(StrictPage), Page(cut));
    }

    [Fact]
    public void AllowAnonymousPage_Prerendering_PlaceholderNeverThePage()
    {
        // [AllowAnonymous] turns the server's authorization off for the page's requests: the static render is not
        // the server's word, so the page waits for the interactive check.
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(AnonymousStrictPage)).SetAssignedRenderMode(RenderMode.InteractiveWebAssembly));

        Assert.Single(cut.FindAll("[data-testid=reverification-guard-checking]"));
        Assert.Null(Page(cut));
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void AllowAnonymousPage_StaticRouter_ErrorSaysWhatToChange()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, typeof(AnonymousStrictPage)));

        Assert.Contains("Remove [AllowAnonymous] from the page", cut.Find("[data-testid=reverification-guard-error]").TextContent, StringComparison.Ordinal);
        Assert.Null(Page(cut));
    }

    [Fact]
    public void ServerAttributeWithInlineLevel_AskedAsTheWireFormat()
    {
        var check = Check("level=second_factor&afterMinutes=5");
        check.SetResult(new EndpointResponse(403, """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor","afterMinutes":5}}}}"""));

        var cut = Interactive<ServerInlinePage>();

        var dialog = cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Null(Page(cut));
        check.SetResult(new EndpointResponse(204, string.Empty));
        cut.Find("[data-testid=verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal(nameof(ServerInlinePage), Page(cut)));
        Assert.Equal(2, check.Invocations.Count);
    }

    [Theory]
    [InlineData(typeof(InlinePage), "second_factor within 2.5 minutes")]
    [InlineData(typeof(ServerInlinePage), "second_factor within 5 minutes")]
    public void ServerCircuit_InlineLevel_DecidedOnTheServer(Type page, string expected)
    {
        var server = new ServerCheck { Answer = new ReverificationChallenge(ReverificationFactors.SecondFactor, 5) };
        Services.AddSingleton<IReverificationPageCheck>(server);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<GuardHost>(p => p.Add(h => h.Page, page));

        cut.WaitForElement("[data-testid=reverification-dialog]");
        Assert.Null(Page(cut));
        server.Answer = null;
        cut.Find("[data-testid=verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal(page.Name, Page(cut)));
        Assert.All(server.Asked, a => Assert.Contains(expected, a, StringComparison.Ordinal));
        Assert.Equal(2, server.Asked.Count);
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    [Fact]
    public void NoDialogRendered_ErrorViewNotAHang()
    {
        Check("level=strict").SetResult(new EndpointResponse(403, Stale));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        // A route view without a layout: no dialog anywhere.
        var cut = Render<ReverificationGuard>(p => p
            .Add(g => g.RouteData, new RouteData(typeof(StrictPage), new Dictionary<string, object?>()))
            .Add(g => g.ChildContent, route => builder =>
            {
                builder.OpenComponent<RouteView>(0);
                builder.AddComponentParameter(1, nameof(RouteView.RouteData), route);
                builder.CloseComponent();
            }));

        cut.WaitForAssertion(() => Assert.Contains("no <ReverificationDialog> is rendered", cut.Find("[data-testid=reverification-guard-error]").TextContent, StringComparison.Ordinal));
        Assert.False(DialogService.HasDialog);
    }

    [Fact]
    public void ScriptFails_ErrorViewNeverThePage()
    {
        Check("level=strict").SetException(new JSException("The module could not be loaded."));

        var cut = Interactive<StrictPage>();

        cut.WaitForAssertion(() => Assert.Equal(
            "The verification could not be checked: the browser script failed. Reload the page to try again.",
            cut.Find("[data-testid=reverification-guard-error]").TextContent));
        Assert.Null(Page(cut));
    }

    private sealed class CountingPrompt(bool result) : Reverification.Client.IReverificationPrompt
    {
        public int Count { get; private set; }

        public Task<bool> ReverifyAsync(Reverification.Client.ReverificationChallenge challenge, CancellationToken cancellationToken)
        {
            Count++;
            return Task.FromResult(result);
        }
    }
}
