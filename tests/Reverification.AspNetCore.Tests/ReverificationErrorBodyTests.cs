using System.Collections.Concurrent;
using System.Text;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests;

public class ReverificationErrorBodyTests
{
    [Fact]
    public void Create_Preset_IsTheContractBodyWithTheName()
        => Assert.Equal(
            "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict_mfa\"}}}",
            Encoding.UTF8.GetString(ReverificationErrorBody.Create(ReverificationLevel.StrictMfa)));

    [Fact]
    public void Create_OtherLevel_DescribesFactorsAndMinutes()
        => Assert.Equal(
            "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":{\"level\":\"second_factor\",\"afterMinutes\":2.5}}}}",
            Encoding.UTF8.GetString(ReverificationErrorBody.Create(ReverificationLevel.Create("app_level", ReverificationFactors.SecondFactor, 2.5))));

    [Fact]
    public void GetOrCreate_ManyLevelsMadeAtRunTime_KeepsABoundedCacheAndStillAnswersEach()
    {
        var cache = new ConcurrentDictionary<ReverificationLevel, string>();
        for (var i = 1; i <= ReverificationErrorBody.MaxCachedLevels + 100; i++)
        {
            var level = ReverificationLevel.Create(ReverificationFactors.FirstFactor, i);
            Assert.Equal(level.MaxAgeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), ReverificationErrorBody.GetOrCreate(cache, level, static l => l.MaxAgeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(ReverificationErrorBody.MaxCachedLevels, cache.Count);
    }
}
