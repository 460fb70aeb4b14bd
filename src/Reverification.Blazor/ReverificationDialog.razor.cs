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
/// <b>Accessibility.</b> The dialog has <c>role="dialog"</c>, <c>aria-modal="true"</c>, and is labelled by its title
/// (<c>aria-labelledby</c>) and described by its description (<c>aria-describedby</c>); errors set with
/// <see cref="ReverificationDialogContext.SetError"/> are in a <c>role="alert"</c> region. When it opens, focus moves to
/// the dialog; Tab and Shift+Tab cycle inside it (two focus guards around it send focus back in); Escape cancels; on
/// close, focus returns to the element that had it before (a 10-line JavaScript module,
/// <c>_content/Reverification.Blazor/reverificationDialog.js</c>, remembers and restores it; no JavaScript framework).
/// </para>
/// <para>
/// <b>Stable hooks for tests and styling</b> (ids are fixed, so render one dialog per page):
/// <list type="bullet">
/// <item><c>data-testid="reverification-dialog"</c>: the dialog (<c>id="reverification-dialog"</c>), with
/// <c>data-level</c> (the preset's name, or empty) and <c>data-factors</c> (<c>first_factor</c>, <c>second_factor</c>,
/// <c>multi_factor</c>);</item>
/// <item><c>data-testid="reverification-title"</c> (<c>id="reverification-dialog-title"</c>),
/// <c>data-testid="reverification-description"</c> (<c>id="reverification-dialog-description"</c>),
/// <c>data-testid="reverification-error"</c> (only while an error is set);</item>
/// <item><c>data-testid="reverification-cancel"</c>: the Cancel button;</item>
/// <item><c>data-testid="reverification-backdrop"</c>, <c>reverification-focus-start</c>,
/// <c>reverification-focus-end</c>.</item>
/// </list>
/// CSS classes: <c>reverification-backdrop</c>, <c>reverification-dialog</c>, <c>reverification-title</c>,
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

    private const string ModulePath = "./_content/Reverification.Blazor/reverificationDialog.js";

    private ReverificationDialogContext? _context;
    private ElementReference _dialog;
    private ElementReference _cancelButton;
    private IJSObjectReference? _module;
    private bool _attached;
    private bool _focusOnRender;
    private bool _restoreFocusOnRender;
    private bool _disposed;

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

    /// <summary>Writes the description; default <see cref="ReverificationText.Describe"/>.</summary>
    [Parameter]
    public Func<ReverificationChallenge, string>? Description { get; set; }

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && !_attached)
        {
            // Only an interactive render gets here (not prerendering): only then can the dialog open.
            _attached = true;
            Service.Changed += OnServiceChanged;
            Service.AttachDialog();
            if (Service.Current is not null)
            {
                Sync();
            }

            // Loaded ahead, so that opening the dialog never waits for JavaScript.
            await LoadModuleAsync().ConfigureAwait(true);
        }

        if (_focusOnRender && _context is not null)
        {
            _focusOnRender = false;
            await FocusDialogAsync().ConfigureAwait(true);
        }
        else if (_restoreFocusOnRender)
        {
            _restoreFocusOnRender = false;
            InvokeModule("restoreFocus");
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

        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync().ConfigureAwait(false);
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; nothing to release.
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
            if (current is not null && _context is null)
            {
                // Remember who has focus before the dialog takes it (sent before the render that moves focus).
                InvokeModule("saveFocus");
            }

            _focusOnRender = current is not null;
            _restoreFocusOnRender = current is null;
            _context = current;
        }

        StateHasChanged();
    }

    private void OnKeyDown(KeyboardEventArgs e)
    {
        if (e.Key is "Escape" or "Esc")
        {
            _context?.Cancel();
        }
    }

    private async Task FocusDialogAsync()
    {
        try
        {
            await _dialog.FocusAsync().ConfigureAwait(true);
        }
        catch (JSException)
        {
            // The element went away while focusing; nothing to do.
        }
    }

    private async Task FocusLastAsync()
    {
        try
        {
            await _cancelButton.FocusAsync().ConfigureAwait(true);
        }
        catch (JSException)
        {
            // The element went away while focusing; nothing to do.
        }
    }

    private async Task LoadModuleAsync()
    {
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath).ConfigureAwait(true);
        }
        catch (JSException)
        {
            // Focus restoration is a nicety: the dialog works without it.
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

    /// <summary>Calls the focus module without waiting: the dialog never waits for JavaScript.</summary>
    private void InvokeModule(string function)
    {
        if (_module is { } module)
        {
            _ = InvokeAndObserveAsync(module, function);
        }
    }

    private static async Task InvokeAndObserveAsync(IJSObjectReference module, string function)
    {
        try
        {
            await module.InvokeVoidAsync(function).ConfigureAwait(false);
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
    }
}
