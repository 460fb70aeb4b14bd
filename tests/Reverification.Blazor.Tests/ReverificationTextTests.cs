namespace Reverification.Blazor.Tests;

public sealed class ReverificationTextTests
{
    [Theory]
    [InlineData(10, "10 minutes")]
    [InlineData(1, "1 minute")]
    [InlineData(2.5, "2.5 minutes")]
    [InlineData(60, "1 hour")]
    [InlineData(90, "90 minutes")]
    [InlineData(1440, "24 hours")]
    [InlineData(0.5, "30 seconds")]
    public void DescribeMaxAge_Words(double minutes, string expected)
        => Assert.Equal(expected, ReverificationText.DescribeMaxAge(minutes));
}
