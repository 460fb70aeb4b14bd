namespace Reverification.Sample.Client.Services;

/// <summary>
/// Gives each attempt of a call its own time limit. It sits inside the reverification handler, so the time the user
/// spends in the reverification prompt does not count: only the wait for the server does (the first send, and the
/// retry after the prompt, each get <see cref="Limit"/>). <see cref="HttpClient.Timeout"/> would count the prompt too,
/// so the API client turns it off.
/// </summary>
/// <remarks>
/// A timeout surfaces as HttpClient's own does: a <see cref="TaskCanceledException"/> whose inner exception is a
/// <see cref="TimeoutException"/>. The caller's own cancellation stays an ordinary cancellation.
/// </remarks>
public sealed class AttemptTimeoutHandler(TimeProvider clock) : DelegatingHandler
{
    /// <summary>How long one attempt may wait for the server's whole answer (headers and body).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = new CancellationTokenSource(Limit, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await base.SendAsync(request, linked.Token);

            // The body too: a server that sends its headers and then stalls must not hold the call forever (the
            // sample's answers are small, so buffering them costs nothing).
            try
            {
                await response.Content.LoadIntoBufferAsync(linked.Token);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            return response;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException(
                $"{request.Method} {request.RequestUri?.AbsolutePath} got no answer within {Limit.TotalSeconds:0} seconds.",
                new TimeoutException(ex.Message, ex),
                timeout.Token);
        }
    }
}
