using Reverification.AspNetCore.Internal;
namespace Reverification.AspNetCore.Tests;

public class ReverificationLevelTests
{
    [Theory]
    [InlineData("strict_mfa", ReverificationFactors.MultiFactor, 10.0)]
    [InlineData("strict", ReverificationFactors.SecondFactor, 10.0)]
    [InlineData("moderate", ReverificationFactors.SecondFactor, 60.0)]
    [InlineData("lax", ReverificationFactors.SecondFactor, 1440.0)]
    public void TryGetPreset_ContractPresets_HaveTheContractsValues(string name, ReverificationFactors factors, double minutes)
    {
        Assert.True(ReverificationLevel.TryGetPreset(name, out var level));
        Assert.Equal(name, level.Name);
        Assert.Equal(factors, level.Factors);
        Assert.Equal(TimeSpan.FromMinutes(minutes), level.MaxAge);
        Assert.True(level.IsPreset);
    }

    [Theory]
    [InlineData("Strict")]
    [InlineData("STRICT")]
    [InlineData("strict ")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGetPreset_OtherSpelling_IsNotAPreset(string? name)
        => Assert.False(ReverificationLevel.TryGetPreset(name, out _));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(527041.0)]
    [InlineData(1e300)]
    public void Create_InvalidMaxAge_Throws(double minutes)
        => Assert.Throws<ArgumentOutOfRangeException>(() => ReverificationLevel.Create(ReverificationFactors.SecondFactor, minutes));

    [Fact]
    public void Create_InvalidFactors_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ReverificationLevel.Create((ReverificationFactors)42, 5));

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("comma,")]
    [InlineData("crlf\r\n")]
    [InlineData("naïve")]
    [InlineData("")]
    public void Create_InvalidName_ThrowsWithWhatToChange(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => ReverificationLevel.Create(name, ReverificationFactors.SecondFactor, 5));
        Assert.Contains("ASCII letters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PresetName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReverificationLevel.Create("strict", ReverificationFactors.FirstFactor, 5));
        Assert.Contains("preset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FractionalMaxAge_IsKept()
    {
        var level = ReverificationLevel.Create("export", ReverificationFactors.FirstFactor, 2.5);
        Assert.Equal(TimeSpan.FromSeconds(150), level.MaxAge);
        Assert.Equal(2.5, level.MaxAgeMinutes);
        Assert.False(level.IsPreset);
    }

    [Fact]
    public void Options_AddLevel_RejectsDuplicatesAndFindsLevels()
    {
        var options = new ReverificationOptions().AddLevel("export", ReverificationFactors.MultiFactor, 5);
        Assert.Throws<ArgumentException>(() => options.AddLevel("export", ReverificationFactors.FirstFactor, 1));
        Assert.True(options.TryGetLevel("export", out var level));
        Assert.Equal(ReverificationFactors.MultiFactor, level.Factors);
        Assert.True(options.TryGetLevel("strict", out _));
        Assert.False(options.TryGetLevel("Export", out _));
        Assert.Throws<ArgumentException>(() => options.AddLevel(ReverificationLevel.Strict));
        Assert.Throws<ArgumentException>(() => options.AddLevel(ReverificationLevel.Create(ReverificationFactors.FirstFactor, 1)));
    }

    [Fact]
    public void Attribute_NullOrInvalidName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RequireReverificationAttribute((string)null!));
        Assert.Throws<ArgumentException>(() => new RequireReverificationAttribute("bad name"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequireReverificationAttribute(ReverificationFactors.SecondFactor, 0));
    }

    [Fact]
    public void Attribute_GetRequirements_ReturnsOneImmutableRequirement()
    {
        var attribute = new RequireReverificationAttribute("strict");
        var requirement = Assert.IsType<ReverificationRequirement>(Assert.Single(attribute.GetRequirements()));
        Assert.Same(ReverificationLevel.Strict, requirement.Level);
        Assert.Same(requirement, Assert.Single(attribute.GetRequirements()));

        var custom = new RequireReverificationAttribute("export");
        Assert.Null(custom.Requirement.Level);
        Assert.Equal("export", custom.LevelName);
    }
}
