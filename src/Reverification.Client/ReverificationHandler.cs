using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reverification.Client.Internal;

namespace Reverification.Client;

/// <summary>
/// A <see cref="DelegatingHandler"/> that recognises the server's "reverification required" answer, asks an
/// <see cref="IReverificationPrompt"/> to reverify the user, and then sends the request once more, body included.
/// The .NET counterpart of Clerk's <c>useReverification()</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Order.</b> Put this handler <em>outside</em> the handler that attaches the bearer token (register it first), so
/// that the retry passes through that handler again and picks up the fresh token. Headers are copied from the request
/// as it was before the first send: a token attached by an inner handler is not copied, but an
/// <c>Authorization</c> header set on the request or in <see cref="HttpClient.DefaultRequestHeaders"/> is, and would be
/// stale on the retry.
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
/// buffered before the first send, up to <see cref="ReverificationHandlerOptions.MaxReplayableContentBytes"/> (which
/// bounds in-memory bodies too), but only when reading it first cannot break that send: its length is known, or its
/// type writes it again (the option's remarks list the cases). If the retry again asks for reverification,
/// that answer is returned to the caller: the handler never loops. Any other body (too large, a
/// <see cref="StreamContent"/> over a stream that cannot seek, a multipart body holding one) is sent untouched; if the
/// answer then asks for reverification, the handler throws an <see cref="InvalidOperationException"/> that says so,
/// without prompting.
/// </para>
/// <para>
/// <b>Ownership.</b> The answer that asked for reverification is disposed before the prompt opens, so it holds no
/// connection while the user verifies. The retry is a new request; the caller gets the retry's answer, whose
/// <see cref="HttpResponseMessage.RequestMessage"/> is that new request. Its body is a new content: one that writes a
/// body held in memory (<see cref="ByteArrayContent"/>, <see cref="StringContent"/>, <see cref="ReadOnlyMemoryContent"/>,
/// a multipart body of those) again from the caller's content, which is therefore not copied and must not be disposed
/// before the call returns, or the handler's copy of any other body. The handler never disposes the caller's request
/// or its content, and disposing the retry does not either.
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
    private readonly PromptCoordinator _coordinator;
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
        options ??= new ReverificationHandlerOptions();
        if (options.MaxReplayableContentBytes is < 0 or > int.MaxValue)
        {
            // HttpContent buffers at most int.MaxValue bytes.
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.MaxReplayableContentBytes,
                $"ReverificationHandlerOptions.MaxReplayableContentBytes must be between 0 and {int.MaxValue} (HttpContent's largest buffer); use a smaller limit.");
        }

        _coordinator = PromptCoordinator.For(prompt);
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = RequestSnapshot.Capture(request, _options.MaxReplayableContentBytes);
        if (snapshot.NeedsBuffering)
        {
            return SendBufferedAsync(request, cancellationToken);
        }

        var successesBefore = _coordinator.Successes;
        var sending = base.SendAsync(request, cancellationToken);

        // An answer that is already here and is neither 401 nor 403 cannot ask for reverification: hand it over as it
        // is, without an async step of our own (what an in-memory or cached inner handler gives).
        return sending.IsCompletedSuccessfully && !ChallengeParser.MayAskForReverification(sending.Result)
            ? sending
            : AnswerAsync(request, snapshot, successesBefore, sending, cancellationToken);
    }

    /// <summary>Buffers the body (asynchronously), then sends.</summary>
    private async Task<HttpResponseMessage> SendBufferedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var snapshot = await RequestSnapshot.BufferAsync(request, _options.MaxReplayableContentBytes, cancellationToken).ConfigureAwait(false);
        var successesBefore = _coordinator.Successes;
        return await AnswerAsync(request, snapshot, successesBefore, base.SendAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the first answer; when it asks for reverification, prompts and sends the request again.</summary>
    private async Task<HttpResponseMessage> AnswerAsync(
        HttpRequestMessage request,
        RequestSnapshot snapshot,
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
        // can stay open for minutes).
        response.Dispose();
        var uri = Describe(request.RequestUri);
        ReverificationClientLog.ReverificationRequested(_logger, challenge, request.Method, uri);
        if (snapshot.NotReplayableReason is { } reason)
        {
            ReverificationClientLog.NotReplayable(_logger, request.Method, uri, challenge, reason);
            throw new InvalidOperationException(
                $"{request.Method} {uri} needs reverification ({challenge}), but {reason}, so it cannot be sent again after the user reverifies. "
                + "To make it replayable, send a body the handler can buffer without consuming it (ByteArrayContent, StringContent, JsonContent, "
                + "a StreamContent over a seekable stream such as a MemoryStream, or a multipart body of those) within "
                + "ReverificationHandlerOptions.MaxReplayableContentBytes, or raise that limit.");
        }

        bool prompted;
        try
        {
            prompted = await _coordinator.ReverifyAsync(challenge, successesBefore, cancellationToken).ConfigureAwait(false);
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

        // The retry's content is never the caller's content: it is a wrapper that writes a body held in memory again
        // from the caller's content without owning it, or this handler's copy of any other body. Disposing the retry
        // cannot dispose what the caller owns. When the retry's answer is returned, the retry stays alive as its
        // RequestMessage (the body may still be on its way over HTTP/2) and holds managed memory only.
        var retry = snapshot.CreateRequest();
        HttpResponseMessage retryResponse;
        try
        {
            retryResponse = await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            retry.Dispose();
            throw;
        }

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
