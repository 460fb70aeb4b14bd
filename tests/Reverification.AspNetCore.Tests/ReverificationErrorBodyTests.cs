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
    public void BoundedLevelCache_ManyLevelsMadeAtRunTime_KeepsABoundedCacheAndStillAnswersEach()
    {
        var built = 0;
        var cache = new BoundedLevelCache<string>(level =>
        {
            built++;
            return level.MaxAgeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        for (var i = 1; i <= BoundedLevelCache<string>.MaxLevels + 100; i++)
        {
            var level = ReverificationLevel.Create(ReverificationFactors.FirstFactor, i);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), cache.Get(level));
        }

        Assert.Equal(BoundedLevelCache<string>.MaxLevels, cache.Count);

        // Kept levels are built once; the others each time they are asked for.
        Assert.Equal("1", cache.Get(ReverificationLevel.Create(ReverificationFactors.FirstFactor, 1)));
        Assert.Equal(BoundedLevelCache<string>.MaxLevels + 100, built);
        cache.Get(ReverificationLevel.Create(ReverificationFactors.FirstFactor, BoundedLevelCache<string>.MaxLevels + 1));
        Assert.Equal(BoundedLevelCache<string>.MaxLevels + 101, built);
    }
}
