using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Reverification.Client.Tests.Infrastructure;

namespace Reverification.Client.Tests;

public sealed class ReverificationChallengeTests
{
    private static string Body(string metadata)
        => $$$$"""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{{{{metadata}}}}}}}""";

    [Theory]
    [InlineData("strict_mfa", ReverificationFactors.MultiFactor, 10)]
    [InlineData("strict", ReverificationFactors.SecondFactor, 10)]
    [InlineData("moderate", ReverificationFactors.SecondFactor, 60)]
    [InlineData("lax", ReverificationFactors.SecondFactor, 1440)]
    public void TryParse_Preset_ReadsNameFactorsAndMinutes(string name, ReverificationFactors factors, double minutes)
    {
        Assert.True(ReverificationChallenge.TryParse(Body($"\"{name}\""), out var challenge));

        Assert.Equal(name, challenge.LevelName);
        Assert.Equal(factors, challenge.Factors);
        Assert.Equal(minutes, challenge.MaxAgeMinutes);
        Assert.Equal(TimeSpan.FromMinutes(minutes), challenge.MaxAge);
        Assert.Equal(name, challenge.ToString());
    }

    [Theory]
    [InlineData("first_factor", "5", ReverificationFactors.FirstFactor, 5)]
    [InlineData("second_factor", "2.5", ReverificationFactors.SecondFactor, 2.5)]
    [InlineData("multi_factor", "0.25", ReverificationFactors.MultiFactor, 0.25)]
    [InlineData("second_factor", "10", ReverificationFactors.SecondFactor, 10)]
    [InlineData("multi_factor", "1e1", ReverificationFactors.MultiFactor, 10)]
    public void TryParse_CustomLevel_ReadsFactorsAndFractionalMinutes(string level, string minutesJson, ReverificationFactors factors, double minutes)
    {
        Assert.True(ReverificationChallenge.TryParse(Body($$"""{"level":"{{level}}","afterMinutes":{{minutesJson}}}"""), out var challenge));

        Assert.Null(challenge.LevelName);
        Assert.Equal(factors, challenge.Factors);
        Assert.Equal(minutes, challenge.MaxAgeMinutes);
    }

    [Fact]
    public void TryParse_ExtraPropertiesAndOrder_StillRecognised()
    {
        const string json = """
            {"other":1,"clerk_error":{"metadata":{"x":[1,2],"reverification":{"afterMinutes":3,"level":"first_factor","extra":true}},
             "reason":"reverification-error","message":"Need reverification","type":"forbidden"}}
            """;

        Assert.True(ReverificationChallenge.TryParse(json, out var challenge));
        Assert.Equal(new ReverificationChallenge(ReverificationFactors.FirstFactor, 3), challenge);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"strict\"")]
    [InlineData("<html>Forbidden</html>")]
    [InlineData("""{"clerk_error":"forbidden"}""")]
    [InlineData("""{"clerk_error":{"type":"Forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"other","metadata":{"reverification":"strict"}}}""")]
    [InlineData("""{"clerk_error":{"reason":"reverification-error","metadata":{"reverification":"strict"}}}""")]
    [InlineData("""{"clerk_error":{"type":1,"reason":"reverification-error","metadata":{"reverification":"strict"}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}trailing""")]
    public void TryParse_MalformedOrOtherBody_NotRecognised(string json)
    {
        Assert.False(ReverificationChallenge.TryParse(json, out var challenge));
        Assert.Null(challenge);
    }

    [Theory]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error"}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":null}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":"strict"}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}""")] // Clerk's reverificationErrorResponse() without a level.
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"STRICT"}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"admin"}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":42}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":null}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor"}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"afterMinutes":5}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"third_factor","afterMinutes":5}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor","afterMinutes":0}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor","afterMinutes":-1}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor","afterMinutes":"5"}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":"second_factor","afterMinutes":1e400}}}}""")]
    [InlineData("""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":{"level":2,"afterMinutes":5}}}}""")]
    public void TryParse_AnswerWithoutALevelThisClientUnderstands_RecognisedAsDefault(string json)
    {
        // As Clerk's isReverificationHint: type and reason decide; the level falls back to the default.
        Assert.True(ReverificationChallenge.TryParse(json, out var challenge));
        Assert.Same(ReverificationChallenge.Default, challenge);
    }

    [Fact]
    public void Default_IsSecondFactorWithinTenMinutesUnnamed()
    {
        Assert.Equal(ReverificationFactors.SecondFactor, ReverificationChallenge.Default.Factors);
        Assert.Equal(10, ReverificationChallenge.Default.MaxAgeMinutes);
        Assert.Null(ReverificationChallenge.Default.LevelName);
        Assert.DoesNotContain(ReverificationChallenge.Default, ReverificationChallenge.Presets);
    }

    [Fact]
    public void TryParse_DeeplyNestedJson_NotRecognisedWithoutThrowing()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        Assert.False(ReverificationChallenge.TryParse(json, out _));
        Assert.False(ReverificationChallenge.TryParse((string?)null, out _));
    }

    [Fact]
    public void TryParse_Utf8Bytes_SameAsString()
    {
        Assert.True(ReverificationChallenge.TryParse(Encoding.UTF8.GetBytes(Body("\"moderate\"")), out var challenge));
        Assert.Same(ReverificationChallenge.Moderate, challenge);
    }

    [Theory]
    [InlineData("Bearer", "error=\"insufficient_user_authentication\", error_description=\"A more recent authentication is required.\", max_age=600", 10)]
    [InlineData("Bearer", "error=insufficient_user_authentication, max_age=\"90\"", 1.5)]
    [InlineData("DPoP", "max_age=60 , error=\"insufficient_user_authentication\"", 1)]
    [InlineData("Bearer", "realm=\"api\", error_description=\"x, max_age=1, error=\\\"y\\\"\", error=\"insufficient_user_authentication\", max_age=120", 2)]
    [InlineData("Bearer", "error=\"insufficient_user_authentication\", acr_values=\"urn:mace:incommon:iap:silver\", max_age=86400", 1440)]
    public void TryParseAuthenticateHeader_Rfc9470_ReadsMaxAgeAsSecondFactor(string scheme, string parameters, double minutes)
    {
        Assert.True(ReverificationChallenge.TryParseAuthenticateHeader(new AuthenticationHeaderValue(scheme, parameters), out var challenge));

        Assert.Null(challenge.LevelName);
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(minutes, challenge.MaxAgeMinutes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("error=\"invalid_token\", max_age=600")]
    [InlineData("error=\"insufficient_user_authentication\"")]
    [InlineData("error=\"insufficient_user_authentication\", max_age=0")]
    [InlineData("error=\"insufficient_user_authentication\", max_age=-60")]
    [InlineData("error=\"insufficient_user_authentication\", max_age=1.5")]
    [InlineData("error=\"insufficient_user_authentication\", max_age=abc")]
    [InlineData("error=\"INSUFFICIENT_USER_AUTHENTICATION\", max_age=600")]
    [InlineData("error=\"insufficient_user_authentication, max_age=600")]
    [InlineData("error_description=\"error=insufficient_user_authentication max_age=600\"")]
    [InlineData("abc123==")]
    public void TryParseAuthenticateHeader_OtherOrMalformed_NotRecognised(string? parameters)
    {
        Assert.False(ReverificationChallenge.TryParseAuthenticateHeader(new AuthenticationHeaderValue("Bearer", parameters), out var challenge));
        Assert.Null(challenge);
        Assert.False(ReverificationChallenge.TryParseAuthenticateHeader(null, out _));
    }

    [Fact]
    public async Task FromResponseAsync_ContractBody_RecognisedAndBodyStillReadable()
    {
        using var response = Answers.Reverify("lax");

        var challenge = await ReverificationChallenge.FromResponseAsync(response);

        Assert.Same(ReverificationChallenge.Lax, challenge);
        Assert.Contains("reverification-error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromResponseAsync_ProblemJsonMediaType_Recognised()
    {
        using var response = Answers.Json(HttpStatusCode.Forbidden, Body("\"strict\""), "application/problem+json");

        Assert.Same(ReverificationChallenge.Strict, await ReverificationChallenge.FromResponseAsync(response));
    }

    [Theory]
    [InlineData("text/plain")] // Clerk's reverificationErrorResponse(): new Response(JSON.stringify(...), { status: 403 }).
    [InlineData("text/html")]
    [InlineData(null)]
    public async Task FromResponseAsync_BodyOfAnyContentType_Recognised(string? mediaType)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body("\"strict_mfa\""))) };
        if (mediaType is not null)
        {
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        Assert.Same(ReverificationChallenge.StrictMfa, await ReverificationChallenge.FromResponseAsync(response));
        Assert.Equal(Body("\"strict_mfa\""), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"reverification":"admin"}""")]
    public async Task FromResponseAsync_AnswerWithoutUnderstoodLevel_TakesMaxAgeFromHeader(string metadata)
    {
        using var response = Answers.Json(HttpStatusCode.Forbidden, $$$"""{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{{{metadata}}}}}""", "text/plain");
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=300"));

        Assert.Equal(new ReverificationChallenge(ReverificationFactors.SecondFactor, 5), await ReverificationChallenge.FromResponseAsync(response));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("error=\"invalid_token\"")]
    [InlineData("error=\"insufficient_user_authentication\"")]
    public async Task FromResponseAsync_AnswerWithoutUnderstoodLevelNorUsableHeader_Default(string? header)
    {
        using var response = Answers.Json(HttpStatusCode.Unauthorized, """{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{}}}""", "text/plain");
        if (header is not null)
        {
            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", header));
        }

        Assert.Same(ReverificationChallenge.Default, await ReverificationChallenge.FromResponseAsync(response));
    }

    [Fact]
    public async Task FromResponseAsync_BodyWithUnderstoodLevelAndHeader_BodyWins()
    {
        using var response = Answers.Json(HttpStatusCode.Forbidden, Body("\"lax\""), "text/plain");
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=300"));

        Assert.Same(ReverificationChallenge.Lax, await ReverificationChallenge.FromResponseAsync(response));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task FromResponseAsync_StatusOtherThan401Or403_NotInspected(HttpStatusCode status)
    {
        using var response = Answers.Json(status, Body("\"strict\""));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=600"));

        Assert.Null(await ReverificationChallenge.FromResponseAsync(response));
    }

    [Fact]
    public async Task FromResponseAsync_BodyLargerThan64KiB_NotRead()
    {
        var padding = new string(' ', 70 * 1024);
        using var response = Answers.Json(HttpStatusCode.Forbidden, Body("\"strict\"") + padding);

        Assert.Null(await ReverificationChallenge.FromResponseAsync(response));
    }

    [Fact]
    public async Task FromResponseAsync_ChunkedBodyLargerThan64KiB_ReadsNoMoreThanTheLimitAndBodyStaysReadable()
    {
        // The contract's body, padded past the limit, without a Content-Length (chunked).
        var bytes = Encoding.UTF8.GetBytes(Body("\"strict\"") + new string(' ', 1024 * 1024));
        var stream = new NonSeekableStream(bytes);
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StreamContent(stream) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Null(response.Content.Headers.ContentLength);

        Assert.Null(await ReverificationChallenge.FromResponseAsync(response));

        Assert.Equal(64 * 1024 + 1, stream.BytesRead);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        response.Dispose();
        Assert.True(stream.Disposed);
    }

    [Fact]
    public async Task FromResponseAsync_ChunkedContractBody_RecognisedAndBodyStillReadable()
    {
        var bytes = Encoding.UTF8.GetBytes(Body("\"moderate\""));
        var stream = new NonSeekableStream(bytes);
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StreamContent(stream) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };

        Assert.Same(ReverificationChallenge.Moderate, await ReverificationChallenge.FromResponseAsync(response));

        Assert.True(stream.Disposed);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Same(ReverificationChallenge.Moderate, await ReverificationChallenge.FromResponseAsync(response)); // Twice: same answer.
    }

    [Fact]
    public async Task FromResponseAsync_ChunkedBodyOfExactlyTheLimit_Read()
    {
        var json = Body("\"lax\"");
        var bytes = Encoding.UTF8.GetBytes(json + new string(' ', (64 * 1024) - json.Length));
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StreamContent(new NonSeekableStream(bytes)) };

        Assert.Same(ReverificationChallenge.Lax, await ReverificationChallenge.FromResponseAsync(response));
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge((ReverificationFactors)0, 5));
    }

    [Theory]
    [InlineData("527041")]
    [InlineData("1e300")]
    [InlineData("1.7976931348623157e308")]
    public void TryParse_MaxAgeAboveTheLongestAllowed_ReadAsTheLongestAllowed(string minutesJson)
    {
        // A hostile or broken server: the factors still count, the max age is bounded so that MaxAge never throws.
        Assert.True(ReverificationChallenge.TryParse(Body($$"""{"level":"multi_factor","afterMinutes":{{minutesJson}}}"""), out var challenge));

        Assert.Equal(ReverificationFactors.MultiFactor, challenge.Factors);
        Assert.Equal(527040, challenge.MaxAgeMinutes);
        Assert.Equal(TimeSpan.FromDays(366), challenge.MaxAge);
        Assert.Equal("multi_factor within 527040 minutes", challenge.ToString());
    }

    [Theory]
    [InlineData("31622401")] // 366 days and 1 second.
    [InlineData("9223372036854775807")]
    [InlineData("\"99999999999999999999999999999999\"")]
    public void TryParseAuthenticateHeader_MaxAgeAboveTheLongestAllowed_ReadAsTheLongestAllowed(string maxAge)
    {
        var header = new AuthenticationHeaderValue("Bearer", $"error=\"insufficient_user_authentication\", max_age={maxAge}");

        Assert.True(ReverificationChallenge.TryParseAuthenticateHeader(header, out var challenge));

        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(527040, challenge.MaxAgeMinutes);
        Assert.Equal(TimeSpan.FromDays(366), challenge.MaxAge);
    }

    [Fact]
    public async Task FromResponseAsync_HostileMaxAgeInBodyAndHeader_BoundedAndNeverThrows()
    {
        using var response = Answers.ReverifyCustom("second_factor", "1e300");
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "error=\"insufficient_user_authentication\", max_age=9223372036854775807"));

        var challenge = await ReverificationChallenge.FromResponseAsync(response);

        Assert.Equal(new ReverificationChallenge(ReverificationFactors.SecondFactor, 527040), challenge);
        Assert.Equal(TimeSpan.FromDays(366), challenge!.MaxAge);
    }

    [Theory]
    [InlineData(527040.001)]
    [InlineData(1e300)]
    [InlineData(double.MaxValue)]
    public void Constructor_MaxAgeAboveTheLongestAllowed_Throws(double minutes)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, minutes));
        Assert.Contains("527040", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LongestAllowedMaxAge_MaxAgeIs366Days()
        => Assert.Equal(TimeSpan.FromDays(366), new ReverificationChallenge(ReverificationFactors.FirstFactor, 527040).MaxAge);

    [Fact]
    public void Equality_SameLevelEqual_PresetDiffersFromUnnamedTwin()
    {
        var unnamed = new ReverificationChallenge(ReverificationFactors.SecondFactor, 10);

        Assert.Equal(new ReverificationChallenge(ReverificationFactors.SecondFactor, 10), unnamed);
        Assert.Equal(unnamed.GetHashCode(), new ReverificationChallenge(ReverificationFactors.SecondFactor, 10).GetHashCode());
        Assert.NotEqual(ReverificationChallenge.Strict, unnamed);
        Assert.NotEqual(new ReverificationChallenge(ReverificationFactors.MultiFactor, 10), unnamed);
        Assert.Equal("second_factor within 10 minutes", unnamed.ToString());
        Assert.Equal("multi_factor within 2.5 minutes", new ReverificationChallenge(ReverificationFactors.MultiFactor, 2.5).ToString());
    }

    [Fact]
    public void TryGetPreset_NamesAreCaseSensitive()
    {
        Assert.Equal(4, ReverificationChallenge.Presets.Count);
        foreach (var preset in ReverificationChallenge.Presets)
        {
            Assert.True(ReverificationChallenge.TryGetPreset(preset.LevelName, out var found));
            Assert.Same(preset, found);
        }

        Assert.False(ReverificationChallenge.TryGetPreset("Strict", out _));
        Assert.False(ReverificationChallenge.TryGetPreset(null, out _));
    }
}
