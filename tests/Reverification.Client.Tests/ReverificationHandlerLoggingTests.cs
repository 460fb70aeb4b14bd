using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reverification.Client.Tests.Infrastructure;

namespace Reverification.Client.Tests;

public sealed class ReverificationHandlerLoggingTests
{
    private static HttpClient CreateClient(IReverificationPrompt prompt, HttpMessageHandler inner, FakeLogger<ReverificationHandler> logger)
        => new(new ReverificationHandler(prompt, options: null, logger) { InnerHandler = inner }) { BaseAddress = new Uri("https://api.test/") };

    [Fact]
    public async Task SendAsync_RetryStillRequiresReverification_LogsWarningWithoutQuery()
    {
        var logger = new FakeLogger<ReverificationHandler>();
        using var client = CreateClient(new FakePrompt { AutoAnswer = true }, new FakeInnerHandler(_ => Answers.Reverify()), logger);

        using var response = await client.GetAsync("transfer?secret=s3cr3t");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal("RetryStillRequiresReverification", warning.Id.Name);
        Assert.Contains("https://api.test/transfer", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Message.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_UserCancels_LogsCancelled()
    {
        var logger = new FakeLogger<ReverificationHandler>();
        using var client = CreateClient(new FakePrompt { AutoAnswer = false }, new FakeInnerHandler(_ => Answers.Reverify("lax")), logger);

        await Assert.ThrowsAsync<ReverificationCancelledException>(() => client.GetAsync("transfer"));

        var names = logger.Collector.GetSnapshot().Select(r => r.Id.Name).ToList();
        Assert.Equal(["ReverificationRequested", "ReverificationCancelled"], names);
    }

    [Fact]
    public void ReverificationCancelledException_Constructors_CarryCodeAndMessage()
    {
        Assert.Equal("reverification_cancelled", new ReverificationCancelledException().Code);
        Assert.Contains("strict", new ReverificationCancelledException(ReverificationChallenge.Strict).Message, StringComparison.Ordinal);
        Assert.Equal("m", new ReverificationCancelledException("m").Message);
        var inner = new InvalidOperationException();
        Assert.Same(inner, new ReverificationCancelledException("m", inner).InnerException);
        var withBoth = new ReverificationCancelledException("the dialog went away", ReverificationChallenge.StrictMfa, inner);
        Assert.Same(ReverificationChallenge.StrictMfa, withBoth.Challenge);
        Assert.Equal("the dialog went away", withBoth.Message);
        Assert.Same(inner, withBoth.InnerException);
        Assert.Contains("strict_mfa", new ReverificationCancelledException(null, ReverificationChallenge.StrictMfa, null).Message, StringComparison.Ordinal);
    }
}
