using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// The reverification modal: opens when <see cref="ReverificationDialogService"/> is asked (by
/// <see cref="ReverificationHandler"/>), says what to verify, hosts the app's own verification form
/// (<see cref="ChildContent"/>), and completes or cancels the waiting call. Render one, interactively, in the app's
/// layout.
/// </summary>
/// <remarks>
/// <para>
/// <b>Accessibility.</b> The dialog is a native <c>&lt;dialog&gt;</c> element, shown with <c>showModal()</c>: the
/// browser exposes it as a modal dialog, makes the rest of the page inert (no focus, no clicks, hidden from assistive
/// technology) and moves focus into it (to the first focusable element of the form, or an element with
/// <c>autofocus</c>). It is labelled by its title (<c>aria-labelledby</c>) and described by its description
/// (<c>aria-describedby</c>); errors set with <see cref="ReverificationDialogContext.SetError"/> are in a
/// <c>role="alert"</c> region. Escape fires the dialog's <c>cancel</c> event wherever focus is (after a click on the
/// backdrop too): the component cancels the request and prevents the browser from closing the dialog on its own; if the
/// browser closes it anyway, the request is cancelled too, so the dialog and the waiting call never disagree. Tab and
/// Shift+Tab wrap around inside the dialog; on close, focus returns to the element that had it before. The browser side
/// is a small JavaScript module, <c>_content/Reverification.Blazor/reverificationDialog.js</c>, with no JavaScript
/// framework; if it cannot be loaded, the dialog is shown without <c>showModal()</c> (not modal, but usable: Escape on
/// it and its Cancel button still cancel).
/// </para>
/// <para>
/// <b>Stable hooks for tests and styling</b> (ids are fixed, so render one dialog per page):
/// <list type="bullet">
/// <item><c>data-testid="reverification-dialog"</c>: the <c>&lt;dialog&gt;</c> (<c>id="reverification-dialog"</c>),
/// with <c>data-level</c> (the preset's name, or empty) and <c>data-factors</c> (<c>first_factor</c>,
/// <c>second_factor</c>, <c>multi_factor</c>);</item>
/// <item><c>data-testid="reverification-title"</c> (<c>id="reverification-dialog-title"</c>),
/// <c>data-testid="reverification-description"</c> (<c>id="reverification-dialog-description"</c>),
/// <c>data-testid="reverification-error"</c> (only while an error is set);</item>
/// <item><c>data-testid="reverification-cancel"</c>: the Cancel button.</item>
/// </list>
/// CSS classes: <c>reverification-dialog</c> (its <c>::backdrop</c> dims the page), <c>reverification-title</c>,
/// <c>reverification-description</c>, <c>reverification-error</c>, <c>reverification-content</c>,
/// <c>reverification-actions</c>, <c>reverification-cancel</c> (scoped CSS ships with the package).
/// </para>
/// </remarks>
public sealed partial class ReverificationDialog
{
    /// <summary>The dialog element's id: <c>reverification-dialog</c>.</summary>
    public const string DialogId = "reverification-dialog";

    /// <summary>The title element's id: <c>reverification-dialog-title</c>.</summary>
    public const string TitleId = "reverification-dialog-title";

    /// <summary>The description element's id: <c>reverification-dialog-description</c>.</summary>
    public const string DescriptionId = "reverification-dialog-description";

    /// <summary>
    /// The approval summary's id, <c>reverification-dialog-approval</c>: shown, and part of the dialog's
    /// <c>aria-describedby</c>, when the server asks for a one-time approval with a summary.
    /// </summary>
    public const string ApprovalId = "reverification-dialog-approval";

    private const string ModulePath = "./_content/Reverification.Blazor/reverificationDialog.js";

    private ReverificationDialogContext? _context;
    private ElementReference _dialog;
    private Task<IJSObjectReference?>? _module;
    private bool _attached;
    private bool _showOnRender;
    private bool _restoreFocusOnRender;
    private bool _shownWithoutScript;
    private bool _disposed;
    private int _openAttempts;

    /// <summary>How many renders opening the dialog is tried on before it is shown without the script.</summary>
    private const int MaxOpenAttempts = 3;

    [Inject]
    private ReverificationDialogService Service { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The app's verification form; the context gives the challenge, <c>Complete()</c>, <c>Cancel()</c> and <c>SetError()</c>.</summary>
    [Parameter]
    public RenderFragment<ReverificationDialogContext>? ChildContent { get; set; }

    /// <summary>The dialog's title. Default: "Confirm it's you".</summary>
    [Parameter]
    public string Title { get; set; } = "Confirm it's you";

    /// <summary>The Cancel button's text. Default: "Cancel".</summary>
    [Parameter]
    public string CancelText { get; set; } = "Cancel";

    /// <summary>The words before a one-time approval's summary ("You approve: Send 25.00 EUR to Carol"). Default: "You approve:".</summary>
    [Parameter]
    public string ApprovalText { get; set; } = "You approve:";

    /// <summary>Writes the description; default <see cref="ReverificationText.Describe"/>.</summary>
    [Parameter]
    public Func<ReverificationChallenge, string>? Description { get; set; }

    /// <inheritdoc/>
    protected override void OnInitialized()
    {
        // In an interactive renderer, attach in the render batch that adds the dialog: when a layout change swaps one
        // dialog for another, the old one is disposed at the end of that batch, after the new one attached, so an open
        // request never finds the service without a dialog. (Prerendering is not interactive: nothing attaches there.)
        if (RendererInfo.IsInteractive)
        {
            Attach();
        }
    }

    private void Attach()
    {
        _attached = true;

        // Loaded ahead, so that opening the dialog rarely waits for JavaScript.
        _module = LoadModuleAsync();
        Service.Changed += OnServiceChanged;
        Service.AttachDialog();
    }

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // Only an interactive render gets here (not prerendering): only then can the dialog open.
            if (!_attached)
            {
                Attach();
            }

            if (Service.Current is not null)
            {
                Sync();
            }

            // The dialog is in the page only after the render Sync asked for.
            return;
        }

        if (_showOnRender && _context is not null)
        {
            await ShowAsync().ConfigureAwait(true);
        }
        else if (_restoreFocusOnRender)
        {
            _restoreFocusOnRender = false;
            _shownWithoutScript = false;
            await InvokeModuleAsync("restoreFocus").ConfigureAwait(true);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_attached)
        {
            Service.Changed -= OnServiceChanged;
            Service.DetachDialog();
        }

        if (_module is not null && await _module.ConfigureAwait(false) is { } module)
        {
            try
            {
                if (_context is not null)
                {
                    // Disposed while open: stop keeping focus in a dialog that is gone.
                    await module.InvokeVoidAsync("restoreFocus").ConfigureAwait(false);
                }

                await module.DisposeAsync().ConfigureAwait(false);
            }
            catch (JSException)
            {
                // Nothing left to release.
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; nothing to release.
            }
            catch (OperationCanceledException)
            {
                // The JS interop call timed out; the module goes with the circuit.
            }
        }
    }

    private void OnServiceChanged(object? sender, EventArgs e) => _ = InvokeAsync(Sync);

    private void Sync()
    {
        if (_disposed)
        {
            return;
        }

        var current = Service.Current;
        if (!ReferenceEquals(current, _context))
        {
            // Shown when a request opens the dialog (or still to be shown); a request that replaces a shown one keeps
            // the dialog shown.
            _showOnRender = current is not null && (_context is null || _showOnRender);
            _restoreFocusOnRender = current is null;
            _context = current;
        }

        StateHasChanged();
    }

    /// <summary>The <c>cancel</c> event (Escape): the module prevents its default (the browser closing the dialog).</summary>
    private void OnCancel() => _context?.Cancel();

    /// <summary>The browser closed the dialog without us (a cancel it would not let us prevent): cancel the request too.</summary>
    private void OnClose() => _context?.Cancel();

    /// <summary>Escape while focus is inside the dialog; also where the dialog could not be shown as a modal.</summary>
    private void OnKeyDown(KeyboardEventArgs e)
    {
        if (e.Key is "Escape" or "Esc")
        {
            _context?.Cancel();
        }
    }

    private async Task ShowAsync()
    {
        var module = _module is null ? null : await _module.ConfigureAwait(true);
        if (_context is null || _disposed || _dialog.Id is null)
        {
            return;
        }

        if (module is not null)
        {
            try
            {
                // False when the element is not in the page yet (Blazor Server acknowledges a render batch later than
                // this component may hear of a new request): render again and try again, a few times.
                if (await module.InvokeAsync<bool>("open", _dialog).ConfigureAwait(true))
                {
                    _showOnRender = false;
                    _openAttempts = 0;
                    return;
                }

                if (++_openAttempts < MaxOpenAttempts)
                {
                    StateHasChanged();
                    return;
                }
            }
            catch (JSException)
            {
                // Shown without the script below.
            }
            catch (OperationCanceledException)
            {
                // The JS interop call timed out (Blazor Server's default is one minute): shown without the script.
            }
            catch (JSDisconnectedException)
            {
                return;
            }
        }

        _openAttempts = 0;

        // A closed <dialog> is invisible: render it open rather than leave the request waiting behind nothing.
        _showOnRender = false;
        _shownWithoutScript = true;
        StateHasChanged();
    }

    private async Task<IJSObjectReference?> LoadModuleAsync()
    {
        try
        {
            return await JS.InvokeAsync<IJSObjectReference>("import", ModulePath).ConfigureAwait(true);
        }
        catch (JSException)
        {
            return null;
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return null; // The import timed out: the dialog works without the script.
        }
    }

    private async Task InvokeModuleAsync(string function)
    {
        if (_module is null || await _module.ConfigureAwait(true) is not { } module)
        {
            return;
        }

        try
        {
            await module.InvokeVoidAsync(function).ConfigureAwait(true);
        }
        catch (JSException)
        {
            // Focus restoration is a nicety: the dialog works without it.
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
        catch (ObjectDisposedException)
        {
            // The dialog was disposed meanwhile.
        }
        catch (OperationCanceledException)
        {
            // The JS interop call timed out.
        }
    }
}
