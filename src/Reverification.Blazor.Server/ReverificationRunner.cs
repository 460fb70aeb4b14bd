using Reverification.Client;

namespace Reverification.Blazor.Server;

/// <summary>
/// Runs an action of a Blazor Server component that may need a reverification: the counterpart of Clerk's
/// <c>useReverification(action)</c>. Inject it (scoped: one per circuit) and wrap the call:
/// <c>await Reverify.RunAsync(() => Bank.TransferAsync(transfer))</c>.
/// </summary>
/// <remarks>
/// When the action throws <see cref="ReverificationRequiredException"/> (its service called
/// <see cref="CircuitReverification.EnsureAsync"/>), the runner opens the circuit's reverification dialog for the
/// exception's challenge. After the user verified (the form recorded it in the cookie and applied the receipt to the
/// circuit's authentication state), it runs the action <b>once</b> more; a second
/// <see cref="ReverificationRequiredException"/> reaches the caller, never a loop. When the user cancels, the caller
/// gets <see cref="ReverificationCancelledException"/>. The action runs again from the start: make it safe to repeat up
/// to its reverification check (check first, then change things).
/// </remarks>
public sealed class ReverificationRunner
{
    private readonly IReverificationPrompt _prompt;

    internal ReverificationRunner(IReverificationPrompt prompt) => _prompt = prompt;

    /// <summary>Runs <paramref name="action"/>; prompts and runs it once more when it needs a reverification.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The action's task.</returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled the prompt.</exception>
    /// <exception cref="ReverificationRequiredException">The action still needed a reverification after the prompt.</exception>
    public Task RunAsync(Func<Task> action) => RunAsync(action, CancellationToken.None);

    /// <summary>Runs <paramref name="action"/>; prompts and runs it once more when it needs a reverification.</summary>
    /// <typeparam name="T">The action's result.</typeparam>
    /// <param name="action">The action.</param>
    /// <returns>The action's result.</returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled the prompt.</exception>
    /// <exception cref="ReverificationRequiredException">The action still needed a reverification after the prompt.</exception>
    public Task<T> RunAsync<T>(Func<Task<T>> action) => RunAsync(action, CancellationToken.None);

    /// <summary>Runs <paramref name="action"/>; prompts and runs it once more when it needs a reverification.</summary>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels the wait for the user (the dialog closes).</param>
    /// <returns>The action's task.</returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled the prompt.</exception>
    /// <exception cref="ReverificationRequiredException">The action still needed a reverification after the prompt.</exception>
    public async Task RunAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await RunAsync(
            async () =>
            {
                await action().ConfigureAwait(true);
                return true;
            },
            cancellationToken).ConfigureAwait(true);
    }

    /// <summary>Runs <paramref name="action"/>; prompts and runs it once more when it needs a reverification.</summary>
    /// <typeparam name="T">The action's result.</typeparam>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels the wait for the user (the dialog closes).</param>
    /// <returns>The action's result.</returns>
    /// <exception cref="ReverificationCancelledException">The user cancelled the prompt.</exception>
    /// <exception cref="ReverificationRequiredException">The action still needed a reverification after the prompt.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ReverificationChallenge challenge;
        try
        {
            // ConfigureAwait(true): the action and what follows stay on the circuit's dispatcher.
            return await action().ConfigureAwait(true);
        }
        catch (ReverificationRequiredException e)
        {
            challenge = e.Challenge;
        }

        if (!await _prompt.ReverifyAsync(challenge, cancellationToken).ConfigureAwait(true))
        {
            throw new ReverificationCancelledException(challenge);
        }

        return await action().ConfigureAwait(true);
    }
}
