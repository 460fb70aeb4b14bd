namespace Reverification.Blazor;

/// <summary>
/// Applies a receipt of a recorded verification to where the app keeps the user's state outside the cookie: a Blazor
/// Server circuit's authentication state. <see cref="ReverificationForm"/> calls it when one is registered
/// (Reverification.Blazor.Server registers one), after the verification is recorded and before it completes the dialog.
/// </summary>
/// <remarks>
/// The receipt is what the server's <c>POST {prefix}/receipt</c> answered to the browser: data-protected, so neither
/// the browser nor this interface's caller can read or forge it; the implementation checks it on the server.
/// </remarks>
public interface IReverificationReceiptHandler
{
    /// <summary>Checks the receipt and applies the verification it carries.</summary>
    /// <param name="receipt">The receipt, as the endpoint answered it.</param>
    /// <param name="cancellationToken">Cancelled when the dialog closes.</param>
    /// <returns><see langword="true"/> when applied; <see langword="false"/> when the receipt was refused.</returns>
    Task<bool> ApplyAsync(string receipt, CancellationToken cancellationToken);
}
