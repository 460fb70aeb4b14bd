using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Reverification.AspNetCore;
using Reverification.Client.Tests.Infrastructure;
using ServerFactors = Reverification.AspNetCore.ReverificationFactors;

namespace Reverification.Client.Tests;

/// <summary>
/// The wire contract, end to end: what Reverification.AspNetCore writes, Reverification.Client reads back as the same
/// level. Both take their names from src/Shared/ReverificationProtocol.cs; these tests catch either side drifting.
/// </summary>
public sealed class ReverificationProtocolTests
{
    /// <summary>Every kind of level the server answers with: the presets, inline levels and an app's named level.</summary>
    private static readonly Dictionary<string, ReverificationLevel> Levels = new()
    {
        ["strict_mfa"] = ReverificationLevel.StrictMfa,
        ["strict"] = ReverificationLevel.Strict,
        ["moderate"] = ReverificationLevel.Moderate,
        ["lax"] = ReverificationLevel.Lax,
        ["inline-first"] = ReverificationLevel.Create(ServerFactors.FirstFactor, 2.5),
        ["inline-second"] = ReverificationLevel.Create(ServerFactors.SecondFactor, 5),
        ["inline-multi"] = ReverificationLevel.Create(ServerFactors.MultiFactor, 0.25),
        ["inline-longest"] = ReverificationLevel.Create(ServerFactors.SecondFactor, ReverificationLevel.MaxAllowedMaxAge.TotalMinutes),
        ["admin"] = ReverificationLevel.Create("admin", ServerFactors.MultiFactor, 30),
    };

    public static TheoryData<string> LevelKeys => [.. Levels.Keys];

    [Theory]
    [MemberData(nameof(LevelKeys))]
    public async Task ServerAnswer_ReadByClient_SameFactorsAndMaxAge(string key)
    {
        var level = Levels[key];
        await using var server = await StartServerAsync();
        using var response = await GetAnswerAsync(server, key);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var challenge = await ReverificationChallenge.FromResponseAsync(response);

        Assert.NotNull(challenge);
        Assert.Equal((int)level.Factors, (int)challenge.Factors);
        Assert.Equal(level.MaxAgeMinutes, challenge.MaxAgeMinutes);
        Assert.Equal(level.MaxAge, challenge.MaxAge);
        if (level.IsPreset)
        {
            // Named on the wire: the client's own preset, with the same name.
            Assert.Equal(level.Name, challenge.LevelName);
            Assert.Same(ReverificationChallenge.Presets.Single(p => p.LevelName == level.Name), challenge);
        }
        else
        {
            // Any other level is sent as {"level": ..., "afterMinutes": ...}: its name, if any, stays on the server.
            Assert.Null(challenge.LevelName);
        }

        if (level.Name is null || level.IsPreset)
        {
            // The same words on both sides: "strict", "second_factor within 5 minutes".
            Assert.Equal(level.ToString(), challenge.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(LevelKeys))]
    public async Task ServerChallengeHeader_ReadByClient_SameMaxAgeInWholeSeconds(string key)
    {
        var level = Levels[key];
        await using var server = await StartServerAsync();
        using var response = await GetAnswerAsync(server, key);

        var header = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.True(ReverificationChallenge.TryParseAuthenticateHeader(header, out var challenge));

        // RFC 9470 names no factors (read as the second factor) and counts whole seconds, rounded down by the server.
        Assert.Equal(ReverificationFactors.SecondFactor, challenge.Factors);
        Assert.Equal(TimeSpan.FromSeconds(Math.Floor(level.MaxAge.TotalSeconds)), challenge.MaxAge);
    }

    [Fact]
    public void Presets_SameNamesFactorsAndMaxAgesOnBothSides()
    {
        var server = ReverificationLevel.Presets.Select(l => (l.Name, (int)l.Factors, l.MaxAgeMinutes));
        var client = ReverificationChallenge.Presets.Select(c => (c.LevelName, (int)c.Factors, c.MaxAgeMinutes));

        Assert.Equal(server, client);
        Assert.Equal(
            [ReverificationLevel.StrictMfaName, ReverificationLevel.StrictName, ReverificationLevel.ModerateName, ReverificationLevel.LaxName],
            [ReverificationChallenge.StrictMfaName, ReverificationChallenge.StrictName, ReverificationChallenge.ModerateName, ReverificationChallenge.LaxName]);
    }

    [Fact]
    public void Factors_SameNamesAndValuesOnBothSides()
    {
        Assert.Equal(
            Enum.GetValues<ServerFactors>().Select(f => (f.ToString(), (int)f)),
            Enum.GetValues<ReverificationFactors>().Select(f => (f.ToString(), (int)f)));
    }

    [Fact]
    public void LongestMaxAge_SameOnBothSides()
    {
        // The server refuses longer levels; the client reads a longer max age as this one, and refuses it when built.
        var longest = ReverificationLevel.MaxAllowedMaxAge.TotalMinutes;

        Assert.Equal(ReverificationLevel.MaxAllowedMaxAge, new ReverificationChallenge(ReverificationFactors.SecondFactor, longest).MaxAge);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverificationChallenge(ReverificationFactors.SecondFactor, longest + 0.001));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReverificationLevel.Create(ServerFactors.SecondFactor, longest + 0.001));
    }

    private static Task<ApiServer> StartServerAsync()
        => ApiServer.StartAsync(
            o => o.AddLevel(Levels["admin"]),
            app =>
            {
                foreach (var (key, level) in Levels)
                {
                    var endpoint = app.MapGet("/level/" + key, () => "passed");
                    _ = level.Name is { } name ? endpoint.RequireReverification(name) : endpoint.RequireReverification(level.Factors, level.MaxAgeMinutes);
                }
            });

    /// <summary>The answer a user who never verified gets, read with a bare client (no reverification handler).</summary>
    private static async Task<HttpResponseMessage> GetAnswerAsync(ApiServer server, string key)
    {
        using var client = new HttpClient(server.App.GetTestServer().CreateHandler())
        {
            BaseAddress = new Uri("http://localhost/"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "level/" + key);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.CreateToken(firstFactorMinutesAgo: null, secondFactorMinutesAgo: null));
        return await client.SendAsync(request);
    }
}
