using System.Net.Http.Headers;

namespace Reverification.Sample.Client.Services;

/// <summary>
/// Attaches the current access token to every attempt. It sits inside the reverification handler, so the retry after
/// a successful reverification goes out with the new token.
/// </summary>
public sealed class BearerTokenHandler(SessionState session) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = session.AccessToken is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
        return base.SendAsync(request, cancellationToken);
    }
}
