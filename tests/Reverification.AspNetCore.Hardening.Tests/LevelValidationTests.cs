using Reverification.AspNetCore.Internal;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;
using Reverification.LoadTest;

namespace Reverification.AspNetCore.Hardening.Tests;

/// <summary>
/// Level names and max ages that could break the answer are refused when they are registered, and the answer's
/// <c>WWW-Authenticate</c> header and JSON body are well formed for every level that can be registered.
/// </summary>
public sealed partial class LevelValidationTests
{
    public static TheoryData<string> BadNames => new(
        "a\"b", "a,b", "a\r\nb", "a\nb", "a\rb", "caf\u00e9", "\u540d\u524d", "a b", "a\tb", "", new string('a', 65), "a;b", "a=b",
        "a\\b", "a\u0000b", "\"", "strict\r\nX-Injected: 1", "a/b", "<a>", "a\u200bb", "\uff41", "a\u00a0b", "\ud800");

    public static TheoryData<double> BadMaxAges => new(
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, -0.0, 0, -double.Epsilon, 527040.0001, 1e308, double.MaxValue, -1440);

    [Theory]
    [MemberData(nameof(BadNames))]
    public void AddLevel_NameThatCouldBreakTheAnswer_IsRejectedWithAClearMessage(string name)
    {
        var options = new ReverificationOptions();

        var ex = Assert.Throws<ArgumentException>(() => options.AddLevel(name, ReverificationFactors.SecondFactor, 5));

        Assert.Contains("not a valid reverification level name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ASCII letters, digits", ex.Message, StringComparison.Ordinal);
        Assert.Empty(options.Levels);
        Assert.ThrowsAny<ArgumentException>(() => new ReverificationRequirement(name));
        Assert.ThrowsAny<ArgumentException>(() => new RequireReverificationAttribute(name));
    }

    [Theory]
    [MemberData(nameof(BadMaxAges))]
    public void AddLevel_MaxAgeThatIsNotAPositiveFiniteNumberOfMinutes_IsRejectedWithAClearMessage(double maxAge)
    {
        var options = new ReverificationOptions();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.AddLevel("payments", ReverificationFactors.SecondFactor, maxAge));

        Assert.Contains("finite number of minutes greater than 0", ex.Message, StringComparison.Ordinal);
        Assert.Empty(options.Levels);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReverificationLevel.Create(ReverificationFactors.MultiFactor, maxAge));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequireReverificationAttribute(ReverificationFactors.FirstFactor, maxAge));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void Create_UnknownFactors_IsRejected(int factors)
        => Assert.Throws<ArgumentOutOfRangeException>(() => ReverificationLevel.Create((ReverificationFactors)factors, 5));

    [Fact]
    public async Task Start_LevelWithBadNameInAddReverification_FailsAtStartUp()
    {
        await using var app = ReverificationTestApp.Create(useTestServer: true, o => o.AddLevel("pay ments", ReverificationFactors.SecondFactor, 5));

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => app.StartAsync());
        Assert.Contains("'pay ments' is not a valid reverification level name", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer\r\nX-Injected: 1")]
    [InlineData("Bearer realm=\"x\"")]
    [InlineData("Bear er")]
    [InlineData("Bearer,")]
    [InlineData("")]
    [InlineData("B\u00e9arer")]
    public async Task Start_ChallengeSchemeThatIsNotAToken_FailsAtStartUp(string scheme)
    {
        await using var app = ReverificationTestApp.Create(useTestServer: true, o => o.ChallengeScheme = scheme);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("ChallengeScheme must be an HTTP token", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, ReverificationFactors, double> AppLevels => new()
    {
        { "a", ReverificationFactors.FirstFactor, 0.5 },
        { "Level-9.x_y", ReverificationFactors.MultiFactor, 2.5 },
        { new string('z', 64), ReverificationFactors.SecondFactor, 527040 },
        { "third", ReverificationFactors.SecondFactor, 1 / 3.0 },
        { "tiny", ReverificationFactors.FirstFactor, 0.001 },
        { "odd", ReverificationFactors.MultiFactor, 1439.9999 },
    };

    [Theory]
    [MemberData(nameof(AppLevels))]
    public async Task Answer_AppLevel_HeaderAndBodyAreWellFormed(string name, ReverificationFactors factors, double maxAge)
    {
        var level = ReverificationLevel.Create(name, factors, maxAge);
        await AssertWellFormedAnswerAsync(name, level, o => o.AddLevel(level));
    }

    [Theory]
    [InlineData("strict_mfa")]
    [InlineData("strict")]
    [InlineData("moderate")]
    [InlineData("lax")]
    public async Task Answer_Preset_HeaderAndBodyAreWellFormed(string name)
    {
        ReverificationLevel.TryGetPreset(name, out var level);
        await AssertWellFormedAnswerAsync(name, level!, null);
    }

    private static async Task AssertWellFormedAnswerAsync(string path, ReverificationLevel level, Action<ReverificationOptions>? configure)
    {
        await using var app = ReverificationTestApp.Create(useTestServer: true, configure, customLevels: level.IsPreset ? null : [level.Name!]);
        await app.StartAsync();
        using var client = app.GetTestClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var stale = now - (400L * 24 * 3600);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/" + path);
        request.Headers.Authorization = new("Bearer", TestTokens.Sign(TestTokens.Payload(now, TestTokens.Timestamps(stale, stale))));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        // The header, per RFC 9110's challenge grammar (auth-scheme 1*SP #auth-param).
        Assert.True(response.Headers.TryGetValues("WWW-Authenticate", out var values));
        var header = Assert.Single(values);
        var challenge = Challenge().Match(header);
        Assert.True(challenge.Success, $"not an RFC 9110 challenge: {header}");
        Assert.Equal("Bearer", challenge.Groups["scheme"].Value);
        var parameters = AuthParam().Matches(challenge.Groups["params"].Value)
            .ToDictionary(static m => m.Groups["name"].Value, static m => Unquote(m.Groups["value"].Value), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("insufficient_user_authentication", parameters["error"]);
        Assert.False(string.IsNullOrEmpty(parameters["error_description"]));
        Assert.Matches("^[0-9]+$", parameters["max_age"]);
        Assert.Equal((long)Math.Floor(level.MaxAge.TotalSeconds), long.Parse(parameters["max_age"], CultureInfo.InvariantCulture));

        // The body, with System.Text.Json.
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("clerk_error");
        Assert.Equal("forbidden", error.GetProperty("type").GetString());
        Assert.Equal("reverification-error", error.GetProperty("reason").GetString());
        var metadata = error.GetProperty("metadata").GetProperty("reverification");
        if (level.IsPreset)
        {
            Assert.Equal(level.Name, metadata.GetString());
        }
        else
        {
            Assert.Equal(ReverificationLevel.FactorsToString(level.Factors), metadata.GetProperty("level").GetString());
            Assert.Equal(level.MaxAgeMinutes, metadata.GetProperty("afterMinutes").GetDouble());
        }
    }

    private static string Unquote(string value)
        => value.StartsWith('"') ? Regex.Replace(value[1..^1], @"\\(.)", "$1") : value;

    private const string Token = @"[!#$%&'*+\-.^_`|~0-9A-Za-z]+";
    private const string Quoted = @"""(?:[\t \x21\x23-\x5B\x5D-\x7E]|\\[\t \x21-\x7E])*""";
    private const string Param = Token + @"[ \t]*=[ \t]*(?:" + Token + "|" + Quoted + ")";

    [GeneratedRegex("^(?<scheme>" + Token + ")(?: +(?<params>" + Param + @"(?:[ \t]*,[ \t]*" + Param + @")*))?\z")]
    private static partial Regex Challenge();

    [GeneratedRegex("(?<name>" + Token + @")[ \t]*=[ \t]*(?<value>" + Token + "|" + Quoted + ")")]
    private static partial Regex AuthParam();
}
