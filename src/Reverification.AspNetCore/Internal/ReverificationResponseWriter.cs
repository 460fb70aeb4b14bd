using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Challenge = Reverification.Shared.ReverificationProtocol.Challenge;
using Reverification.Shared;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Writes the reverification answer: the browser redirect when enabled and the request is a page navigation, or the
/// status code, the RFC 9470 challenge and the body (default or the app's hook).
/// </summary>
internal sealed class ReverificationResponseWriter
{
    private const string ErrorDescription = "A more recent authentication is required.";

    private readonly ReverificationOptions _options;
    private readonly ILogger _logger;
    private readonly BoundedLevelCache<string> _challenges;

    public ReverificationResponseWriter(IOptions<ReverificationOptions> options, ILogger<ReverificationResponseWriter> logger)
    {
        _options = options.Value;
        _logger = logger;
        _challenges = new BoundedLevelCache<string>(CreateChallenge);
    }

    public Task WriteAsync(HttpContext context, ReverificationLevel level, ReverificationOutcome outcome)
        => WriteAsync(context, level, outcome, approval: null, approvalExpiresIn: 0);

    /// <summary>The answer, with a one-time approval in its metadata when <paramref name="approval"/> is given.</summary>
    public async Task WriteAsync(HttpContext context, ReverificationLevel level, ReverificationOutcome outcome, ReverificationApproval? approval, long approvalExpiresIn)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            ReverificationLog.ResponseAlreadyStarted(_logger);
            return;
        }

        // An approval is approved through the API with its id, so its answer is never the page redirect.
        if (approval is null && _options.ReverifyPath.HasValue && IsBrowserNavigation(context.Request))
        {
            if (TryBuildRedirect(context.Request, level, out var location))
            {
                response.Redirect(location);
                return;
            }

            // The path base (X-Forwarded-Prefix through UseForwardedHeaders, say) or ReverifyPath would leave the site.
            ReverificationLog.RedirectNotLocal(_logger, location);
        }

        response.StatusCode = _options.RejectionStatusCode;
        if (_options.IncludeChallengeHeader)
        {
            response.Headers.Append(HeaderNames.WWWAuthenticate, _challenges.Get(level));
        }

        if (_options.OnRejected is { } onRejected)
        {
            await onRejected(new ReverificationRejectedContext(context, level, outcome, approval, approvalExpiresIn), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (approval is not null)
        {
            await ReverificationErrorBody.WriteAsync(response, level, approval, approvalExpiresIn, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await ReverificationErrorBody.WriteAsync(response, level, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>RFC 9470: <c>Bearer error="insufficient_user_authentication", error_description="...", max_age=N</c>.</summary>
    internal string CreateChallenge(ReverificationLevel level)
    {
        // max_age is whole seconds; rounding down never allows an older authentication than the level does.
        var maxAgeSeconds = (long)Math.Floor(level.MaxAge.TotalSeconds);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_options.ChallengeScheme} {Challenge.Error}=\"{Challenge.InsufficientUserAuthentication}\", {Challenge.ErrorDescription}=\"{ErrorDescription}\", {Challenge.MaxAge}={maxAgeSeconds}");
    }

    /// <summary>
    /// A browser page navigation: GET or HEAD, and <c>Sec-Fetch-Mode: navigate</c> when the browser sends fetch
    /// metadata, otherwise an <c>Accept</c> that names HTML and no <c>X-Requested-With</c>.
    /// </summary>
    internal static bool IsBrowserNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var headers = request.Headers;
        var fetchMode = headers["Sec-Fetch-Mode"];
        if (fetchMode.Count > 0)
        {
            return string.Equals(fetchMode[0], "navigate", StringComparison.OrdinalIgnoreCase);
        }

        if (headers.XRequestedWith.Count > 0)
        {
            return false;
        }

        foreach (var accept in headers.Accept)
        {
            if (accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The reverify page's local URL with the return URL and the level in the query; <see langword="false"/>, with the
    /// page's path alone, when the path base or <see cref="ReverificationOptions.ReverifyPath"/> makes it leave the site
    /// (<c>//host/...</c>). A return URL that is not local is left out.
    /// </summary>
    internal bool TryBuildRedirect(HttpRequest request, ReverificationLevel level, out string location)
    {
        // ToUriComponent, as the Location header and a later redirect to the return URL carry the escaped form.
        var path = request.PathBase.Add(_options.ReverifyPath).ToUriComponent();
        if (!IsLocalPath(path))
        {
            location = path;
            return false;
        }

        var returnUrl = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        var query = IsLocalPath(returnUrl) ? QueryString.Create(_options.ReturnUrlParameter, returnUrl) : QueryString.Empty;
        query = level.Name is { } name
            ? query.Add(ReverificationProtocol.Body.Level, name)
            : query.Add(ReverificationProtocol.Body.Level, ReverificationProtocol.FormatFactors(level.Factors))
                .Add(ReverificationProtocol.Body.AfterMinutes, level.MaxAgeMinutes.ToString(CultureInfo.InvariantCulture));
        location = path + query.ToUriComponent();
        return true;
    }

    /// <summary>
    /// A path on this site: what ASP.NET Core's <see cref="RedirectHttpResult.IsLocalUrl(string?)"/> accepts (no scheme
    /// or host, not <c>//</c> or <c>/\</c>, no control characters), and starting with <c>/</c> (not <c>~/</c>).
    /// </summary>
    internal static bool IsLocalPath(string url) => url.StartsWith('/') && RedirectHttpResult.IsLocalUrl(url);
}
