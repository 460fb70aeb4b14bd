using Reverification.LoadTest;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// A smoke-sized run of the load test (benchmarks/Reverification.LoadTest): loopback Kestrel, real JwtBearer, every
/// kind of caller, every answer checked. The full run (100,000 requests) is a separate command; see docs/reliability.md.
/// </summary>
public sealed class LoadTestSmokeTests
{
    [Fact]
    public async Task RunAsync_2000MixedRequests_NoServerErrorAndEveryAnswerRight()
    {
        var result = await LoadTestRunner.RunAsync(new LoadTestSettings(Requests: 2000, Concurrency: 32, WarmupRequests: 100));

        Assert.Equal(0, result.ServerErrors);
        Assert.True(result.WrongAnswers == 0, string.Join(Environment.NewLine, result.FirstWrongAnswers));
        Assert.Equal(2000, result.ByStatus.Values.Sum());
        Assert.Equal(11, result.ByCaller.Count);
        Assert.True(result.ByStatus.ContainsKey(200) && result.ByStatus.ContainsKey(401) && result.ByStatus.ContainsKey(403));
    }
}
