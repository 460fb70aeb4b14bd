using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// One browser or API client of the test app: keeps its cookies (Identity's application cookie) like a browser, or
/// sends its bearer token like an API client.
/// </summary>
public sealed class TestSession : IDisposable
{
    private readonly HttpClient _client;

    internal TestSession(HttpMessageHandler serverHandler, Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new CookieHandler(Cookies) { InnerHandler = serverHandler }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The bearer token sent with every request, if any.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The refresh token of the last token pair, if any.</summary>
    public string? RefreshToken { get; set; }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body)
        => SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json")
        => SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)) });

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (AccessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        }

        return _client.SendAsync(request);
    }

    /// <summary>Takes the token pair of a <c>/login</c>-shaped answer (<c>accessToken</c>, <c>refreshToken</c>).</summary>
    public async Task UseTokensFromAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        AccessToken = json.RootElement.GetProperty("accessToken").GetString();
        RefreshToken = json.RootElement.GetProperty("refreshToken").GetString();
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Sends the container's cookies and stores the answer's, as a browser does.</summary>
    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    cookies.SetCookies(request.RequestUri!, setCookie);
                }
            }

            return response;
        }
    }
}
