namespace Reverification.Client.Tests.Infrastructure;

/// <summary>The client of the handler's unit tests: <see cref="ReverificationHandler"/> over a fake inner handler.</summary>
internal static class HandlerClient
{
    public static readonly Uri BaseAddress = new("https://api.test/");

    public static HttpClient CreateClient(IReverificationPrompt prompt, HttpMessageHandler inner, ReverificationHandlerOptions? options = null)
        => new(new ReverificationHandler(prompt, options, logger: null) { InnerHandler = inner }) { BaseAddress = BaseAddress };
}
