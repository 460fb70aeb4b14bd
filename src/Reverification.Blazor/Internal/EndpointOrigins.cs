namespace Reverification.Blazor.Internal;

/// <summary>
/// Where <see cref="ReverificationForm"/> and <see cref="ReverificationGuard"/> may call the endpoints, and the header
/// of an app on bearer tokens (<see cref="IReverificationFormAuthorization"/>).
/// </summary>
internal static class EndpointOrigins
{
    public const string TokenNotRenewed = "Your sign-in token could not be renewed. Sign in again.";

    /// <summary>
    /// The origin of an absolute <paramref name="prefix"/>, which only an app on bearer tokens may give;
    /// <see langword="null"/> for an app-relative path. Throws with what to change for anything else.
    /// </summary>
    public static string? Of(string component, string prefix, bool bearer, bool pageIsLoopback)
    {
        if (prefix.StartsWith("//", StringComparison.Ordinal) || prefix.StartsWith('\\') || prefix.StartsWith("/\\", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{component}.EndpointPrefix '{prefix}' names another site without a scheme: give the app-relative path of MapReverificationEndpoints, such as \"/reverify\".");
        }

        var colon = prefix.IndexOf(':', StringComparison.Ordinal);
        var slash = prefix.IndexOf('/', StringComparison.Ordinal);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return null; // App-relative: resolved against the document's base URI, and kept on the page's origin.
        }

        if (!bearer)
        {
            throw new InvalidOperationException(
                $"{component}.EndpointPrefix '{prefix}' is an absolute URL, which only an app on bearer tokens may give (register an IReverificationFormAuthorization): "
                + "a cookie app calls its own site. Give the app-relative path of MapReverificationEndpoints, such as \"/reverify\".");
        }

        if (!Uri.TryCreate(prefix, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && pageIsLoopback))
            || uri.UserInfo.Length > 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || prefix.Contains('?', StringComparison.Ordinal)
            || prefix.Contains('#', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{component}.EndpointPrefix '{prefix}' is not an endpoint URL a token is sent to: give an https URL without user name, query or fragment, "
                + "such as \"https://api.example.com/reverify\" (http only for localhost, from a page on localhost), or the app-relative path, such as \"/reverify\".");
        }

        return OriginOf(uri);
    }

    /// <summary>
    /// An absolute URI's origin as the browser's <c>URL.origin</c> spells it (an international host in punycode), so
    /// that origins compare as the browser module compares them.
    /// </summary>
    public static string OriginOf(Uri uri)
        => uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";

    /// <summary>
    /// The app's <c>Authorization</c> header for the next request; throws <see cref="InvalidOperationException"/> when it
    /// cannot be had or is not a header value (the caller shows <see cref="TokenNotRenewed"/>), and lets a cancellation
    /// through.
    /// </summary>
    public static async Task<string?> AuthorizationHeaderAsync(IReverificationFormAuthorization authorization, CancellationToken cancellationToken)
    {
        string? header;
        try
        {
            header = await authorization.GetAuthorizationAsync(cancellationToken).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(TokenNotRenewed, ex);
        }

        if (header is not null && (header.Length == 0 || header.Any(char.IsControl)))
        {
            throw new InvalidOperationException(TokenNotRenewed);
        }

        return header;
    }
}
