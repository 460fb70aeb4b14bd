using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// The <see cref="IReverificationPrompt"/> behind <see cref="ReverificationDialog"/>: when
/// <see cref="ReverificationHandler"/> asks, it opens the dialog and waits until the app's form completes or cancels it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Lifetime.</b> <see cref="IHttpClientFactory"/> builds message handlers in a DI scope of its own, so the handler
/// and the component must see the same instance. <c>AddReverificationBlazor()</c> therefore registers it as a
/// <b>singleton</b>, which is right where one process serves one user: Blazor WebAssembly, MAUI Blazor Hybrid. In
/// Blazor Server, a singleton would show one user's dialog to every circuit: register it scoped
/// (<c>AddReverificationBlazor(ServiceLifetime.Scoped)</c>) and create the <see cref="HttpClient"/> in the circuit's
/// scope with <c>new ReverificationHandler(dialogService) { InnerHandler = ... }</c> (see the docs).
/// </para>
/// <para>
/// <b>No dialog, no wait.</b> When no <see cref="ReverificationDialog"/> is rendered interactively, <see cref="ReverifyAsync"/>
/// throws <see cref="InvalidOperationException"/> instead of waiting for a dialog that would never open. A new request
/// while a dialog is open replaces it (the earlier one is cancelled); <see cref="ReverificationHandler"/> already
/// shares one prompt between concurrent requests, so that happens only with several prompts at once.
/// </para>
/// <para>
/// <b>The dialog goes away.</b> When the last <see cref="ReverificationDialog"/> is disposed while a request is open
/// (the layout that rendered it changed, the Blazor Server circuit ended), the waiting call fails with a
/// <see cref="ReverificationCancelledException"/> that says so: nobody can answer the prompt any more, and the call
/// never hangs. Its <see cref="ReverificationCancelledException.Challenge"/> is the open request's challenge.
/// </para>
/// </remarks>
public sealed class ReverificationDialogService : IReverificationPrompt
{
    private readonly Lock _lock = new();
    private ReverificationDialogContext? _current;
    private int _dialogs;

    /// <summary>Raised when a dialog opens, closes, or its error message changes. May be raised on any thread.</summary>
    internal event EventHandler? Changed;

    /// <summary>The open request, or <see langword="null"/> when the dialog is closed.</summary>
    internal ReverificationDialogContext? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Whether a <see cref="ReverificationDialog"/> is rendered interactively and listening.</summary>
    internal bool HasDialog
    {
        get
        {
            lock (_lock)
            {
                return _dialogs > 0;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No <see cref="ReverificationDialog"/> is rendered interactively.</exception>
    /// <exception cref="ReverificationCancelledException">
    /// The last <see cref="ReverificationDialog"/> was disposed while the request was open.
    /// </exception>
    public async Task<bool> ReverifyAsync(ReverificationChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        cancellationToken.ThrowIfCancellationRequested();
        var context = new ReverificationDialogContext(challenge, OnContextChanged);
        ReverificationDialogContext? replaced;
        lock (_lock)
        {
            // Checked under the lock that DetachDialog takes: a request never slips in after the last dialog left.
            if (_dialogs == 0)
            {
                throw new InvalidOperationException(
                    "A request needs reverification, but no <ReverificationDialog> is rendered interactively. Render one in the app's layout "
                    + "(with an interactive render mode), and make sure the component and the HTTP handler share this ReverificationDialogService instance.");
            }

            replaced = _current;
            _current = context;
        }

        replaced?.Cancel();
        RaiseChanged();
        using (cancellationToken.Register(static (state, token) => ((ReverificationDialogContext)state!).Abandon(token), context))
        {
            return await context.Result.ConfigureAwait(false);
        }
    }

    internal void AttachDialog()
    {
        lock (_lock)
        {
            _dialogs++;
        }
    }

    /// <summary>A dialog was disposed; when it was the last one, the open request fails instead of waiting forever.</summary>
    internal void DetachDialog()
    {
        ReverificationDialogContext? orphaned = null;
        lock (_lock)
        {
            _dialogs--;
            if (_dialogs == 0)
            {
                orphaned = _current;
                _current = null;
            }
        }

        // Outside the lock: closing runs the app's callbacks on the context's Closed token.
        orphaned?.Fail(new ReverificationCancelledException(
            $"The reverification dialog went away before the user verified ({orphaned.Challenge}): the last <ReverificationDialog> was disposed "
            + "(the layout that rendered it changed, or the Blazor Server circuit ended). The request was not retried.",
            orphaned.Challenge,
            innerException: null));
    }

    private void OnContextChanged(ReverificationDialogContext context)
    {
        if (context.IsClosed)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_current, context))
                {
                    _current = null;
                }
            }
        }

        RaiseChanged();
    }

    private void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);
}
