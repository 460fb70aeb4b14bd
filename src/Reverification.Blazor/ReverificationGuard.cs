using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Reverification.Blazor.Internal;
using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// Enforces reverification requirements of routable components on interactive navigation, where the router's
/// <c>AuthorizeRouteView</c> does not read them: it asks the server whether the current session satisfies the page's
/// level, opens the reverification dialog when it does not, and renders the page only after success.
/// </summary>
/// <remarks>
/// <para>
/// Put it in the router, around the route view; the route view receives the route data to render as
/// <c>context</c>:
/// <code>
/// &lt;Found Context="routeData"&gt;
///     &lt;ReverificationGuard RouteData="routeData"&gt;
///         &lt;AuthorizeRouteView RouteData="context" DefaultLayout="typeof(Layout.MainLayout)" /&gt;
///     &lt;/ReverificationGuard&gt;
/// &lt;/Found&gt;
/// </code>
/// </para>
/// <para>
/// <b>Requirements read.</b> The server package's <c>[RequireReverification]</c> (pages of the server project) and
/// <see cref="RequireReverificationPageAttribute"/> (pages of a WebAssembly project), named or inline levels; the server
/// enforces both on every HTTP request too. A page without either renders at once, without a request.
/// </para>
/// <para>
/// <b>Each render path.</b> Rendered interactively (Blazor Server, WebAssembly), the guard asks
/// <c>GET {EndpointPrefix}/check</c> (the Identity endpoints) from the browser, with the browser's cookie (an app on
/// bearer tokens: the header of its <see cref="IReverificationFormAuthorization"/>, as the form sends it), on every
/// navigation to a protected page; while it waits it shows <see cref="Checking"/> in the app's default layout. When the
/// answer is the reverification answer, it prompts through the app's <see cref="IReverificationPrompt"/> (the
/// <see cref="ReverificationDialog"/>), asks once more after success, and renders the page when the server agrees. Cancel
/// shows <see cref="Cancelled"/>, an anonymous session <see cref="NotAuthenticated"/>. Rendered without interactivity
/// (static rendering, prerendering, enhanced navigation), the page is shown: such a render happens only inside an HTTP
/// request, and the server's authorization enforced both attributes for it (a stale session got the reverification
/// answer, an app without <c>AddReverification()</c> a forbidden answer, before anything rendered). A page that also
/// has <c>[AllowAnonymous]</c> is not enforced by the server: it gets the placeholder until the page is interactive,
/// and an error without an interactive render mode.
/// </para>
/// <para>
/// The check in the browser is for the user's benefit: the API endpoints the page calls must require the level
/// themselves. The placeholder and its views are rendered with the default layout, not a page's own <c>[Layout]</c>.
/// Stable hooks: <c>data-testid="reverification-guard-checking"</c>, <c>reverification-guard-cancelled</c> (with a
/// <c>reverification-guard-retry</c> button), <c>reverification-guard-signed-out</c>, <c>reverification-guard-error</c>.
/// </para>
/// </remarks>
public sealed class ReverificationGuard : ComponentBase, IAsyncDisposable
{
    private FormScript? _script;
    private RouteData? _route;
    private PageLevel[] _levels = [];
    private GuardState _state;
    private string? _error;
    private int _version;
    private bool _checkPending;
    // The server's check for a render without interactivity, until it ran (OnParametersSetAsync).
    private IReverificationPageCheck? _staticCheck;
    private CancellationTokenSource? _checking;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    // An app on bearer tokens: the header for each check, and the endpoints' origin when it is not the page's.
    private IReverificationFormAuthorization? _authorization;
    private string? _endpointOrigin;

    /// <summary>The router's route data (<c>Found</c>'s context). Required.</summary>
    [Parameter]
    [EditorRequired]
    public RouteData RouteData { get; set; } = default!;

    /// <summary>The route view; its <c>context</c> is the route data to render: the page's, or the guard's placeholder.</summary>
    [Parameter]
    public RenderFragment<RouteData>? ChildContent { get; set; }

    /// <summary>Where the Identity endpoints are mapped, app-relative. Default: <c>/reverify</c>.</summary>
    [Parameter]
    public string EndpointPrefix { get; set; } = "/reverify";

    /// <summary>Shown while the server is asked and the dialog is open. Default: "Checking that it's you…".</summary>
    [Parameter]
    public RenderFragment? Checking { get; set; }

    /// <summary>
    /// Shown when the user cancelled the verification (or it did not satisfy the server); <c>context</c> tries again
    /// (<c>&lt;button @onclick="context"&gt;</c>). Default: a sentence and a "Confirm it's you" button.
    /// </summary>
    [Parameter]
    public RenderFragment<EventCallback>? Cancelled { get; set; }

    /// <summary>Shown when the session is not signed in. Default: "Sign in to see this page.".</summary>
    [Parameter]
    public RenderFragment? NotAuthenticated { get; set; }

    private enum GuardState
    {
        Passed,
        Checking,
        Cancelled,
        NotAuthenticated,
        Error,
    }

    /// <inheritdoc/>
    protected override void OnParametersSet()
    {
        if (RouteData is null)
        {
            throw new InvalidOperationException("ReverificationGuard needs the router's route data: <ReverificationGuard RouteData=\"routeData\">.");
        }

        _authorization = Services.GetService(typeof(IReverificationFormAuthorization)) as IReverificationFormAuthorization;
        _endpointOrigin = EndpointOrigins.Of(nameof(ReverificationGuard), EndpointPrefix, bearer: _authorization is not null, pageIsLoopback: new Uri(Navigation.BaseUri).IsLoopback);
        if (ReferenceEquals(RouteData, _route))
        {
            return;
        }

        // A navigation: every protected page is checked again, the same page too.
        _route = RouteData;
        _version++;
        _checking?.Cancel();
        _levels = PageLevels.Of(RouteData.PageType);
        _error = null;
        if (_levels.Length == 0)
        {
            _state = GuardState.Passed;
        }
        else if (RendererInfo.IsInteractive)
        {
            _state = GuardState.Checking;
            _checkPending = true;
        }
        else if (Array.TrueForAll(_levels, static l => l.ServerEnforced))
        {
            // Only an HTTP request renders without interactivity, and the server's authorization enforced these on the
            // page's own endpoint. A host page that renders the router itself (a _Host fallback, a RazorComponentResult)
            // was not authorized with the page's attributes: where the server's check is registered, the request's
            // user is checked again before the page renders (OnParametersSetAsync); a stale one gets the placeholder.
            _staticCheck = Services.GetService(typeof(IReverificationPageCheck)) as IReverificationPageCheck;
            _state = _staticCheck is null ? GuardState.Passed : GuardState.Checking;
        }
        else if (AssignedRenderMode is null)
        {
            // Only [AllowAnonymous] on the page gets here: the server's start-up check refuses it where it runs.
            _state = GuardState.Error;
            _error = $"The page {RouteData.PageType.Name} requires a reverification, but it also has [AllowAnonymous], which turns the server's authorization off "
                + "for its HTTP requests, and the router is rendered without an interactive render mode: it can never be checked. Remove [AllowAnonymous] from the page.";
        }
        else
        {
            _state = GuardState.Checking; // Prerendering: the check runs once the guard is interactive.
        }
    }

    /// <inheritdoc/>
    protected override async Task OnParametersSetAsync()
    {
        if (_staticCheck is not { } server)
        {
            return;
        }

        // A render without interactivity cannot prompt: the page renders when the request's user passes now, and
        // otherwise the placeholder stays (an interactive render after a prerender checks again and prompts).
        _staticCheck = null;
        try
        {
            foreach (var level in _levels)
            {
                if (await AskAsync(server, level, CancellationToken.None).ConfigureAwait(true) is not null)
                {
                    return;
                }
            }

            _state = GuardState.Passed;
        }
        catch (UnauthorizedAccessException)
        {
            _state = GuardState.NotAuthenticated;
        }
        catch (ArgumentException e)
        {
            _state = GuardState.Error;
            _error = e.Message;
        }
    }

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_checkPending)
        {
            _checkPending = false;
            await CheckAsync().ConfigureAwait(true);
        }
    }

    /// <inheritdoc/>
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (ChildContent is null || _route is null)
        {
            return;
        }

        var data = _state == GuardState.Passed
            ? _route
            : new RouteData(typeof(GuardPlaceholder), new Dictionary<string, object?> { [nameof(GuardPlaceholder.Guard)] = this });
        builder.AddContent(0, ChildContent(data));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _version++;
        _checking?.Cancel();
        _checking?.Dispose();
        if (_script is not null)
        {
            await _script.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Renders the current state for <see cref="GuardPlaceholder"/>.</summary>
    internal void RenderState(RenderTreeBuilder builder)
    {
        switch (_state)
        {
            case GuardState.Cancelled when Cancelled is not null:
                builder.AddContent(0, Cancelled(EventCallback.Factory.Create(this, RetryAsync)));
                break;
            case GuardState.Cancelled:
                builder.OpenElement(1, "div");
                builder.AddAttribute(2, "class", "reverification-guard-cancelled");
                builder.AddAttribute(3, "data-testid", "reverification-guard-cancelled");
                builder.OpenElement(4, "p");
                builder.AddContent(5, "This page needs you to confirm it's you.");
                builder.CloseElement();
                builder.OpenElement(6, "button");
                builder.AddAttribute(7, "type", "button");
                builder.AddAttribute(8, "data-testid", "reverification-guard-retry");
                builder.AddAttribute(9, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, RetryAsync));
                builder.AddContent(10, "Confirm it's you");
                builder.CloseElement();
                builder.CloseElement();
                break;
            case GuardState.NotAuthenticated when NotAuthenticated is not null:
                builder.AddContent(11, NotAuthenticated);
                break;
            case GuardState.NotAuthenticated:
                Paragraph(builder, "reverification-guard-signed-out", "status", "Sign in to see this page.");
                break;
            case GuardState.Error:
                Paragraph(builder, "reverification-guard-error", "alert", _error ?? "The verification could not be checked.");
                break;
            case GuardState.Checking when Checking is not null:
                builder.AddContent(12, Checking);
                break;
            default:
                Paragraph(builder, "reverification-guard-checking", "status", "Checking that it's you…");
                break;
        }
    }

    private static void Paragraph(RenderTreeBuilder builder, string testId, string role, string text)
    {
        builder.OpenElement(20, "p");
        builder.AddAttribute(21, "class", testId);
        builder.AddAttribute(22, "data-testid", testId);
        builder.AddAttribute(23, "role", role);
        builder.AddContent(24, text);
        builder.CloseElement();
    }

    private Task RetryAsync()
    {
        if (_state is GuardState.Checking or GuardState.Passed)
        {
            return Task.CompletedTask;
        }

        _state = GuardState.Checking;
        StateHasChanged();
        return CheckAsync();
    }

    private async Task CheckAsync()
    {
        var version = _version;
        _checking?.Dispose();
        _checking = new CancellationTokenSource();
        var token = _checking.Token;
        _script ??= new FormScript(JS);
        try
        {
            foreach (var level in _levels)
            {
                var (state, error) = await CheckLevelAsync(level, token).ConfigureAwait(true);
                if (version != _version)
                {
                    return;
                }

                if (state != GuardState.Passed)
                {
                    Show(state, error);
                    return;
                }
            }

            Show(GuardState.Passed, null);
        }
        catch (OperationCanceledException) when (version != _version || token.IsCancellationRequested)
        {
            // Navigated away or disposed meanwhile.
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
        catch (JSException) when (version == _version)
        {
            // The script could not be loaded or failed: never the page.
            Show(GuardState.Error, "The verification could not be checked: the browser script failed. Reload the page to try again.");
        }
    }

    private void Show(GuardState state, string? error)
    {
        _state = state;
        _error = error;
        StateHasChanged();
    }

    /// <summary>Asks the server; prompts when it answers "reverification required", then asks once more.</summary>
    private async Task<(GuardState State, string? Error)> CheckLevelAsync(PageLevel level, CancellationToken cancellationToken)
    {
        if (Services.GetService(typeof(IReverificationPageCheck)) is IReverificationPageCheck server)
        {
            return await CheckOnServerAsync(server, level, cancellationToken).ConfigureAwait(true);
        }

        var path = EndpointPrefix.TrimEnd('/') + "/check?" + level.Query;
        if (await SendCheckAsync(path, cancellationToken).ConfigureAwait(true) is not { } first)
        {
            return (GuardState.Error, EndpointOrigins.TokenNotRenewed);
        }

        if (Classify(first, out var challenge) is { } outcome)
        {
            return outcome;
        }

        if (await PromptAsync(challenge!, cancellationToken).ConfigureAwait(true) is { } notVerified)
        {
            return notVerified;
        }

        // Once more, never a loop: a second "reverification required" shows the cancelled view with its retry button.
        // The header is asked again: the dialog's form handed the app the token its verification answered.
        if (await SendCheckAsync(path, cancellationToken).ConfigureAwait(true) is not { } second)
        {
            return (GuardState.Error, EndpointOrigins.TokenNotRenewed);
        }

        return Classify(second, out _) ?? (GuardState.Cancelled, null);
    }

    /// <summary>
    /// Asks the check from the browser: with the browser's cookie, or, for an app on bearer tokens, with its header (asked
    /// now) and no cookie, to the page's origin or the configured one. <see langword="null"/> when the app could not give
    /// a header: nothing was sent.
    /// </summary>
    private async Task<EndpointResponse?> SendCheckAsync(string path, CancellationToken cancellationToken)
    {
        EndpointRequestOptions? options = null;
        if (_authorization is not null)
        {
            try
            {
                var header = await EndpointOrigins.AuthorizationHeaderAsync(_authorization, cancellationToken).ConfigureAwait(true);
                options = new EndpointRequestOptions(header, "omit", _endpointOrigin);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        return await _script!.SendAsync("GET", path, body: null, options, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>
    /// In a Blazor Server circuit the page renders on the server, so the decision is the server's: the circuit's user
    /// is checked there, never the browser's word. A fresher cookie (verified in another tab) is brought over with a
    /// receipt first; then the dialog (whose form applies its receipt to the circuit); then one more check.
    /// </summary>
    private async Task<(GuardState State, string? Error)> CheckOnServerAsync(IReverificationPageCheck server, PageLevel level, CancellationToken cancellationToken)
    {
        ReverificationChallenge? challenge;
        try
        {
            challenge = await AskAsync(server, level, cancellationToken).ConfigureAwait(true);
            if (challenge is not null && await ApplyCookieReceiptAsync(cancellationToken).ConfigureAwait(true))
            {
                challenge = await AskAsync(server, level, cancellationToken).ConfigureAwait(true);
            }
        }
        catch (UnauthorizedAccessException)
        {
            return (GuardState.NotAuthenticated, null);
        }
        catch (ArgumentException e)
        {
            return (GuardState.Error, e.Message);
        }

        if (challenge is null)
        {
            return (GuardState.Passed, null);
        }

        if (await PromptAsync(challenge, cancellationToken).ConfigureAwait(true) is { } notVerified)
        {
            return notVerified;
        }

        // Once more, never a loop.
        return await AskAsync(server, level, cancellationToken).ConfigureAwait(true) is null
            ? (GuardState.Passed, null)
            : (GuardState.Cancelled, null);
    }

    private static Task<ReverificationChallenge?> AskAsync(IReverificationPageCheck server, PageLevel level, CancellationToken cancellationToken)
        => level.LevelName is { } name
            ? server.CheckAsync(name, cancellationToken)
            : server.CheckAsync(level.Factors!.Value, level.MaxAgeMinutes!.Value, cancellationToken);

    /// <summary>Opens the dialog; <see langword="null"/> when the user verified, otherwise the view to show.</summary>
    private async Task<(GuardState State, string? Error)?> PromptAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        if (Services.GetService(typeof(IReverificationPrompt)) is not IReverificationPrompt prompt)
        {
            return (GuardState.Error, "No IReverificationPrompt is registered: call services.AddReverificationBlazor() (AddReverificationBlazorServer() in a Blazor Server app) and render a <ReverificationDialog> in the layout.");
        }

        try
        {
            return await prompt.ReverifyAsync(challenge, cancellationToken).ConfigureAwait(true) ? null : (GuardState.Cancelled, null);
        }
        catch (ReverificationCancelledException)
        {
            return (GuardState.Cancelled, null);
        }
        catch (InvalidOperationException e)
        {
            return (GuardState.Error, e.Message);
        }
    }

    /// <summary>Applies a receipt of what the cookie records now to the circuit, when the app registered a receipt handler.</summary>
    private async Task<bool> ApplyCookieReceiptAsync(CancellationToken cancellationToken)
    {
        if (Services.GetService(typeof(IReverificationReceiptHandler)) is not IReverificationReceiptHandler receipts)
        {
            return false;
        }

        var response = await _script!.SendAsync("POST", EndpointPrefix.TrimEnd('/') + "/receipt", "{}", options: null, cancellationToken).ConfigureAwait(true);
        if (response.Status != 200 || ReverificationForm.ReadReceipt(response.Body) is not { } receipt)
        {
            return false;
        }

        // The receipt is data-protected and checked on the server (user, security stamp, expiry): the browser can
        // withhold it, never forge it.
        return await receipts.ApplyAsync(receipt, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>The outcome of one answer, or <see langword="null"/> with the challenge when it asks for a reverification.</summary>
    private static (GuardState, string?)? Classify(EndpointResponse response, out ReverificationChallenge? challenge)
    {
        challenge = null;
        if (response.Status == 204)
        {
            return (GuardState.Passed, null);
        }

        if (response.Status is 401 or 403 && ReverificationChallenge.TryParse(response.Body, out challenge))
        {
            return null;
        }

        return response.Status switch
        {
            401 => (GuardState.NotAuthenticated, null),
            0 => (GuardState.Error, "The server could not be reached to check your verification. Reload the page to try again."),
            _ => (GuardState.Error, EndpointProblem.Parse(response.Body).Detail is { Length: > 0 } detail
                ? "The verification could not be checked: " + detail
                : $"The verification could not be checked (HTTP {response.Status})."),
        };
    }
}
