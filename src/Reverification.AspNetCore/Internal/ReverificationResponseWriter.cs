using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Challenge = Reverification.Shared.ReverificationProtocol.Challenge;

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

    public async Task WriteAsync(HttpContext context, ReverificationLevel level, ReverificationOutcome outcome)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            ReverificationLog.ResponseAlreadyStarted(_logger);
            return;
        }

        if (_options.ReverifyPath.HasValue && IsBrowserNavigation(context.Request))
        {
            response.Redirect(BuildRedirect(context.Request, level));
            return;
        }

        response.StatusCode = _options.RejectionStatusCode;
        if (_options.IncludeChallengeHeader)
        {
            response.Headers.Append(HeaderNames.WWWAuthenticate, _challenges.Get(level));
        }

        if (_options.OnRejected is { } onRejected)
        {
            await onRejected(new ReverificationRejectedContext(context, level, outcome), context.RequestAborted).ConfigureAwait(false);
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

    private string BuildRedirect(HttpRequest request, ReverificationLevel level)
    {
        var returnUrl = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        var query = QueryString.Create(_options.ReturnUrlParameter, returnUrl);
        query = level.Name is { } name
            ? query.Add("level", name)
            : query.Add("level", ReverificationLevel.FactorsToString(level.Factors))
                .Add("afterMinutes", level.MaxAgeMinutes.ToString(CultureInfo.InvariantCulture));
        return request.PathBase.Add(_options.ReverifyPath) + query.ToUriComponent();
    }
}
