using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests;

/// <summary>Every line of the contract's decision, including each of its examples.</summary>
public class ReverificationEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    private static ReverificationOutcome Evaluate(double? f1MinutesAgo, double? f2MinutesAgo, ReverificationLevel level)
    {
        var times = VerificationTimes.Found(
            f1MinutesAgo is { } f1 ? Now.AddMinutes(-f1) : null,
            f2MinutesAgo is { } f2 ? Now.AddMinutes(-f2) : null);
        return ReverificationEvaluator.Evaluate(times, Now, Skew, level);
    }

    private static ReverificationLevel Preset(string name)
    {
        Assert.True(ReverificationLevel.TryGetPreset(name, out var level));
        return level;
    }

    // The contract's examples, verbatim: (f1, f2) in minutes, null = never.
    [Theory]
    [InlineData(5.0, 5.0, "strict", true)]
    [InlineData(5.0, 11.0, "strict", false)]
    [InlineData(5.0, null, "strict", true)]
    [InlineData(null, 5.0, "strict", true)]
    [InlineData(null, null, "strict", false)]
    [InlineData(null, 5.0, "strict_mfa", false)]
    [InlineData(5.0, null, "strict_mfa", true)]
    [InlineData(59.0, 59.0, "moderate", true)]
    [InlineData(60.0, 60.0, "moderate", false)]
    public void Evaluate_ContractExamples_MatchTheContract(double? f1, double? f2, string level, bool passes)
        => Assert.Equal(passes ? ReverificationOutcome.Passed : ReverificationOutcome.ReverificationRequired, Evaluate(f1, f2, Preset(level)));

    [Theory]
    [InlineData("strict", 10.0)]
    [InlineData("strict_mfa", 10.0)]
    [InlineData("moderate", 60.0)]
    [InlineData("lax", 1440.0)]
    public void Evaluate_AgeEqualToMaxAge_Denies(string level, double maxAge)
    {
        Assert.Equal(ReverificationOutcome.ReverificationRequired, Evaluate(maxAge, maxAge, Preset(level)));
        Assert.Equal(ReverificationOutcome.Passed, Evaluate(maxAge - (1.0 / 60), maxAge - (1.0 / 60), Preset(level)));
    }

    [Fact]
    public void Evaluate_AgeOneTickBelowMaxAge_Passes()
    {
        var times = VerificationTimes.Found(Now - TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1), Now - TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1));
        Assert.Equal(ReverificationOutcome.Passed, ReverificationEvaluator.Evaluate(times, Now, Skew, ReverificationLevel.Strict));
        var equal = VerificationTimes.Found(Now - TimeSpan.FromMinutes(10), Now - TimeSpan.FromMinutes(10));
        Assert.Equal(ReverificationOutcome.ReverificationRequired, ReverificationEvaluator.Evaluate(equal, Now, Skew, ReverificationLevel.Strict));
    }

    [Theory]
    [InlineData(2.4, true)]
    [InlineData(2.5, false)]
    [InlineData(2.6, false)]
    public void Evaluate_FractionalMaxAge_ComparesExactly(double age, bool passes)
    {
        var level = ReverificationLevel.Create(ReverificationFactors.SecondFactor, 2.5);
        Assert.Equal(passes ? ReverificationOutcome.Passed : ReverificationOutcome.ReverificationRequired, Evaluate(age, age, level));
    }

    // first_factor: f1ok.
    [Theory]
    [InlineData(5.0, null, true)]
    [InlineData(5.0, 50.0, true)]
    [InlineData(11.0, 1.0, false)]
    [InlineData(null, 1.0, false)]
    public void Evaluate_FirstFactor_UsesOnlyTheFirstFactor(double? f1, double? f2, bool passes)
        => Assert.Equal(passes, Evaluate(f1, f2, ReverificationLevel.Create(ReverificationFactors.FirstFactor, 10)) == ReverificationOutcome.Passed);

    // second_factor: f2 never → f1ok; otherwise f2ok.
    [Theory]
    [InlineData(5.0, null, true)]
    [InlineData(11.0, null, false)]
    [InlineData(50.0, 5.0, true)]
    [InlineData(5.0, 11.0, false)]
    [InlineData(null, 5.0, true)]
    [InlineData(null, 11.0, false)]
    public void Evaluate_SecondFactor_FallsBackToFirstFactorOnlyWhenSecondNeverVerified(double? f1, double? f2, bool passes)
        => Assert.Equal(passes, Evaluate(f1, f2, ReverificationLevel.Strict) == ReverificationOutcome.Passed);

    // multi_factor: f2 never → f1ok; f1 never → deny; otherwise both.
    [Theory]
    [InlineData(5.0, null, true)]
    [InlineData(11.0, null, false)]
    [InlineData(null, 5.0, false)]
    [InlineData(5.0, 5.0, true)]
    [InlineData(11.0, 5.0, false)]
    [InlineData(5.0, 11.0, false)]
    public void Evaluate_MultiFactor_RequiresBothUnlessNoSecondFactor(double? f1, double? f2, bool passes)
        => Assert.Equal(passes, Evaluate(f1, f2, ReverificationLevel.StrictMfa) == ReverificationOutcome.Passed);

    [Fact]
    public void Evaluate_NoVerificationData_Denies()
    {
        Assert.Equal(ReverificationOutcome.ReverificationRequired, ReverificationEvaluator.Evaluate(VerificationTimes.Missing, Now, Skew, ReverificationLevel.Lax));
        Assert.Equal(ReverificationOutcome.ReverificationRequired, ReverificationEvaluator.Evaluate(default, Now, Skew, ReverificationLevel.Lax));
    }

    [Fact]
    public void Evaluate_MalformedData_Denies()
        => Assert.Equal(ReverificationOutcome.MalformedClaims, ReverificationEvaluator.Evaluate(VerificationTimes.Malformed, Now, Skew, ReverificationLevel.Lax));

    [Theory]
    [InlineData(0.5, ReverificationOutcome.Passed)]
    [InlineData(1.0, ReverificationOutcome.Passed)]
    [InlineData(1.5, ReverificationOutcome.MalformedClaims)]
    public void Evaluate_FutureTime_IsMalformedBeyondTheSkew(double minutesAhead, ReverificationOutcome expected)
    {
        var times = VerificationTimes.Found(Now.AddMinutes(minutesAhead), null);
        Assert.Equal(expected, ReverificationEvaluator.Evaluate(times, Now, Skew, ReverificationLevel.Strict));
    }

    [Fact]
    public void Evaluate_IssuedAtBeyondTheSkew_IsMalformed()
    {
        var times = VerificationTimes.Found(Now.AddMinutes(-5), null, issuedAt: Now.AddMinutes(2));
        Assert.Equal(ReverificationOutcome.MalformedClaims, ReverificationEvaluator.Evaluate(times, Now, Skew, ReverificationLevel.Strict));
    }

    [Fact]
    public void IsMoreDemanding_OrdersByFactorsThenShorterMaxAge()
    {
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.StrictMfa, ReverificationLevel.Strict));
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.MultiFactor, 60), ReverificationLevel.Strict));
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Strict, ReverificationLevel.Moderate));
        Assert.False(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Lax, ReverificationLevel.Moderate));

        // first_factor and second_factor are one factor each: the shorter max age demands more.
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.FirstFactor, 5), ReverificationLevel.Create(ReverificationFactors.SecondFactor, 60)));
        Assert.False(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.SecondFactor, 60), ReverificationLevel.Create(ReverificationFactors.FirstFactor, 5)));
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.SecondFactor, 60), ReverificationLevel.Create(ReverificationFactors.FirstFactor, 61)));

        // Same count and max age: second_factor, whatever the order.
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.SecondFactor, 10), ReverificationLevel.Create(ReverificationFactors.FirstFactor, 10)));
        Assert.False(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.FirstFactor, 10), ReverificationLevel.Create(ReverificationFactors.SecondFactor, 10)));

        // The same demand under two names: the ordinal first name, an unnamed level last; never the order.
        var admin = ReverificationLevel.Create("admin", ReverificationFactors.SecondFactor, 10);
        Assert.True(ReverificationEvaluator.IsMoreDemanding(admin, ReverificationLevel.Strict));
        Assert.False(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Strict, admin));
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Strict, ReverificationLevel.Create(ReverificationFactors.SecondFactor, 10)));
        Assert.False(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.SecondFactor, 10), ReverificationLevel.Strict));

        // Two factors beat any one-factor level, however short its max age.
        Assert.True(ReverificationEvaluator.IsMoreDemanding(ReverificationLevel.Create(ReverificationFactors.MultiFactor, 1440), ReverificationLevel.Create(ReverificationFactors.FirstFactor, 0.5)));
    }
}
