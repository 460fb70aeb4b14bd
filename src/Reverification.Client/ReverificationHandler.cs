using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reverification.Client.Internal;
using Reverification.Shared;

namespace Reverification.Client;

/// <summary>
/// A <see cref="DelegatingHandler"/> that recognises the server's "reverification required" answer, asks an
/// <see cref="IReverificationPrompt"/> to reverify the user, and then sends the request once more, body included.
/// The .NET counterpart of Clerk's <c>useReverification()</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Order.</b> Put this handler <em>outside</em> the handler that attaches the bearer token (register it first), so
/// that the retry passes through that handler again and picks up the fresh token. The retry sends the caller's own
/// request again, as a Polly or Microsoft.Extensions.Http.Resilience retry does: the handlers below this one run again
/// and see the request as they left it. A handler that sets a header (<c>Headers.Authorization = ...</c>) replaces the
/// stale value; one that <c>Add</c>s a header should check that it is not there yet. An <c>Authorization</c> header set
/// on the request or in <see cref="HttpClient.DefaultRequestHeaders"/> is sent again as it is, and would be stale.
/// </para>
/// <para>
/// <b>Recognition.</b> Only 401 and 403 answers are inspected. Their body (at most 64 KiB, whatever its
/// <c>Content-Type</c>: Clerk's server helper sends <c>text/plain</c>) is buffered, so the caller can still read it (a
/// larger body of unknown length is read no further than the limit and still reaches the caller whole), and
/// matched as Clerk's client does: a JSON object with <c>clerk_error.type == "forbidden"</c> and
/// <c>clerk_error.reason == "reverification-error"</c>. The level comes from <c>metadata.reverification</c>; when that is
/// missing or not understood, from the RFC 9470 header's <c>max_age</c>, otherwise it is
/// <see cref="ReverificationChallenge.Default"/> (the second factor within 10 minutes). Without that body, the RFC 9470
/// <c>WWW-Authenticate</c> challenge (<c>error="insufficient_user_authentication"</c>, <c>max_age</c>) is used alone
/// (see <see cref="ReverificationHandlerOptions.RecognizeChallengeHeader"/>). Any other answer is returned untouched.
/// </para>
/// <para>
/// <b>Retry once.</b> A body held in memory (<see cref="ByteArrayContent"/>, <see cref="StringContent"/>,
/// <see cref="ReadOnlyMemoryContent"/>, a multipart body of those) is sent again as it is, without a copy. Another body is
/// buffered in place (<see cref="HttpContent.LoadIntoBufferAsync()"/> on the caller's content) before the first send, up
/// to <see cref="ReverificationHandlerOptions.MaxReplayableContentBytes"/> (which bounds in-memory bodies too), but only
/// when reading it first cannot break that send: its length is known, or its type writes it again (the option's remarks
/// list the cases). If the retry again asks for reverification, that answer is returned to the caller: the handler never
/// loops. Any other body (too large, a <see cref="StreamContent"/> over a stream that cannot seek, a multipart body
/// holding one) is sent untouched; if the answer then asks for reverification, the handler throws an
/// <see cref="InvalidOperationException"/> that says so, without prompting.
/// </para>
/// <para>
/// <b>Ownership.</b> The answer that asked for reverification is disposed before the prompt opens, so it holds no
/// connection while the user verifies. The caller gets the retry's answer; the retry is the caller's request, with the
/// caller's content, and the handler disposes neither.
/// </para>
/// <para>
/// <b>Single flight.</b> Every handler that uses the same prompt instance shares one prompt: requests that need
/// reverification while the prompt is open wait for it and then each retries, when the open prompt asks for at least
/// the factors they need (both factors include either one; the max age does not matter, since a prompt that
/// succeeds verified just then). A request that needs more (<c>strict_mfa</c> while a <c>strict</c> prompt is open) waits for that prompt to
/// end and then opens one follow-up prompt, shared in the same way. A request that was sent before a reverification
/// succeeded and comes back asking for one retries without a new prompt only if that reverification covers what it
/// asks for. When the user cancels, every caller waiting for that prompt gets a
/// <see cref="ReverificationCancelledException"/>. A caller whose cancellation token is cancelled
/// while it waits gets an <see cref="OperationCanceledException"/> and the prompt stays open for the others; when the
/// last waiting caller is gone, the token passed to <see cref="IReverificationPrompt.ReverifyAsync"/> is cancelled.
/// If the prompt throws, every waiting caller gets that exception.
/// </para>
/// <para>
/// <b>Timeouts.</b> <see cref="HttpClient.Timeout"/> (100 seconds by default) includes the time the user spends in the
/// prompt; raise it for clients whose calls may prompt.
/// </para>
/// </remarks>
public sealed class ReverificationHandler : DelegatingHandler
{
    private readonly PromptCoordinator? _coordinator;
    private readonly IReverificationPromptResolver? _resolver;
    private readonly ReverificationHandlerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler with default options.</summary>
    /// <param name="prompt">Asks the user to reverify.</param>
    public ReverificationHandler(IReverificationPrompt prompt)
        : this(prompt, options: null, logger: null)
    {
    }

    /// <summary>Creates the handler.</summary>
    /// <param name="prompt">Asks the user to reverify.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; optional.</param>
    public ReverificationHandler(IReverificationPrompt prompt, ReverificationHandlerOptions? options, ILogger<ReverificationHandler>? logger)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _coordinator = PromptCoordinator.For(prompt);
        _options = ValidateOptions(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a handler that asks <paramref name="resolver"/>, for each request, which prompt to use.</summary>
    /// <param name="resolver">Picks the prompt of the user each request is made for.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; optional.</param>
    /// <remarks>Requests share a prompt (see the remarks on the class) only when the resolver gives them the same prompt.</remarks>
    public ReverificationHandler(IReverificationPromptResolver resolver, ReverificationHandlerOptions? options, ILogger<ReverificationHandler>? logger)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _options = ValidateOptions(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private static ReverificationHandlerOptions ValidateOptions(ReverificationHandlerOptions? options)
    {
        options ??= new ReverificationHandlerOptions();
        if (options.MaxReplayableContentBytes is < 0 or > int.MaxValue)
        {
            // HttpContent buffers at most int.MaxValue bytes.
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.MaxReplayableContentBytes,
                $"ReverificationHandlerOptions.MaxReplayableContentBytes must be between 0 and {int.MaxValue} (HttpContent's largest buffer); use a smaller limit.");
        }

        return options;
    }

    /// <summary>The coordinator of this request's prompt: the one prompt's, or the resolver's pick for this request (null: none).</summary>
    private PromptCoordinator? Coordinator()
        => _coordinator ?? (_resolver!.Resolve() is { } prompt ? PromptCoordinator.For(prompt) : null);

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Nothing is captured: the retry sends this same request again (HttpClient's "already sent" check applies only
        // at HttpClient.SendAsync, not inside the handler chain). No body, or one held in memory, needs no work here.
        var content = request.Content;
        string? notReplayable = null;
        if (content is not null && !RequestBody.IsSentAgainAsIs(content))
        {
            notReplayable = RequestBody.Prepare(content, _options.MaxReplayableContentBytes, out var needsBuffering);
            if (needsBuffering)
            {
                return SendBufferedAsync(request, content, cancellationToken);
            }
        }

        var coordinator = Coordinator();
        var successesBefore = coordinator?.Successes ?? 0;
        var sending = base.SendAsync(request, cancellationToken);

        // An answer that is already here and is neither 401 nor 403 cannot ask for reverification: hand it over as it
        // is, without an async step of our own (what an in-memory or cached inner handler gives).
        return sending.IsCompletedSuccessfully && !ChallengeParser.MayAskForReverification(sending.Result)
            ? sending
            : AnswerAsync(request, content, notReplayable, coordinator, successesBefore, sending, cancellationToken);
    }

    /// <summary>Buffers the body in place (asynchronously), then sends.</summary>
    private async Task<HttpResponseMessage> SendBufferedAsync(HttpRequestMessage request, HttpContent content, CancellationToken cancellationToken)
    {
        var notReplayable = await RequestBody.BufferAsync(content, _options.MaxReplayableContentBytes, cancellationToken).ConfigureAwait(false);
        var coordinator = Coordinator();
        var successesBefore = coordinator?.Successes ?? 0;
        return await AnswerAsync(request, content, notReplayable, coordinator, successesBefore, base.SendAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the first answer; when it asks for reverification, prompts and sends the request again.</summary>
    private async Task<HttpResponseMessage> AnswerAsync(
        HttpRequestMessage request,
        HttpContent? content,
        string? notReplayable,
        PromptCoordinator? coordinator,
        long successesBefore,
        Task<HttpResponseMessage> sending,
        CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        var challenge = await ReadChallengeAsync(response, cancellationToken).ConfigureAwait(false);
        if (challenge is null)
        {
            return response;
        }

        // This answer never reaches the caller: release it, and the connection it may hold, before the prompt (which
        // can stay open for minutes). Its RequestMessage is the caller's request, which disposing it leaves alone.
        response.Dispose();
        var uri = Describe(request.RequestUri);
        ReverificationClientLog.ReverificationRequested(_logger, challenge, request.Method, uri);

        // A body held in memory was not looked at before the send: the limit applies to it too.
        if ((notReplayable ?? (content is null ? null : RequestBody.CheckLimit(content, _options.MaxReplayableContentBytes))) is { } reason)
        {
            ReverificationClientLog.NotReplayable(_logger, request.Method, uri, challenge, reason);
            throw new InvalidOperationException(
                $"{request.Method} {uri} needs reverification ({challenge}), but {reason}, so it cannot be sent again after the user reverifies. "
                + "To make it replayable, send a body the handler can buffer without consuming it (ByteArrayContent, StringContent, JsonContent, "
                + "a StreamContent over a seekable stream such as a MemoryStream, or a multipart body of those) within "
                + "ReverificationHandlerOptions.MaxReplayableContentBytes, or raise that limit.");
        }

        if (coordinator is null)
        {
            throw new InvalidOperationException(
                $"{request.Method} {uri} needs reverification ({challenge}), but no prompt serves this request: the IReverificationPromptResolver found none "
                + "(in Blazor Server, the request was not made from a circuit's event handler or lifecycle method).");
        }

        bool prompted;
        try
        {
            prompted = await coordinator.ReverifyAsync(challenge, successesBefore, cancellationToken).ConfigureAwait(false);
        }
        catch (ReverificationCancelledException)
        {
            ReverificationClientLog.Cancelled(_logger, challenge, request.Method, uri);
            throw;
        }

        if (!prompted)
        {
            // The user reverified for at least this level while this request was in flight: its credentials were
            // stale, retry as is.
            ReverificationClientLog.ReverifiedMeanwhile(_logger, request.Method, uri);
        }

        ReverificationClientLog.Retrying(_logger, request.Method, uri);

        // A one-time approval: the retry carries the id this challenge named, and only it (an approval header the
        // request had is replaced).
        if (challenge.Approval is { } approval)
        {
            request.Headers.Remove(ReverificationProtocol.Approval.Header);
            request.Headers.TryAddWithoutValidation(ReverificationProtocol.Approval.Header, approval.Id);
        }

        // The caller's own request, sent again (as Microsoft.Extensions.Http.Resilience's retry does): the handlers
        // below run again and see it as they left it (a token handler replaces the stale token). Its body writes the
        // same bytes again: held in memory, or buffered in place before the first send. The request stays the caller's:
        // not disposed here, whatever happens.
        var retryResponse = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        // Logged from the status code alone: the retry's answer is the caller's to read, whatever the log level.
        if (retryResponse.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            ReverificationClientLog.RetryRefused(_logger, request.Method, uri, (int)retryResponse.StatusCode);
        }

        return retryResponse;
    }

    /// <summary>The challenge of the first answer; the answer is disposed if reading it fails.</summary>
    private async Task<ReverificationChallenge?> ReadChallengeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await ChallengeParser.FromResponseAsync(response, _options.RecognizeChallengeHeader, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string? Describe(Uri? uri)
        => uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Path) : uri?.OriginalString;
}
