using Reverification.Client.Internal;

namespace Reverification.Client.Tests;

public sealed class PromptCoordinatorTests
{
    public static TheoryData<ReverificationChallenge, ReverificationChallenge, bool> CoverCases => new()
    {
        { ReverificationChallenge.StrictMfa, ReverificationChallenge.Strict, true },
        { ReverificationChallenge.StrictMfa, ReverificationChallenge.Lax, true },
        { ReverificationChallenge.StrictMfa, new ReverificationChallenge(ReverificationFactors.FirstFactor, 10), true },
        { ReverificationChallenge.Strict, ReverificationChallenge.StrictMfa, false },
        { ReverificationChallenge.Strict, ReverificationChallenge.Strict, true },
        { ReverificationChallenge.Strict, ReverificationChallenge.Default, true },
        { ReverificationChallenge.Strict, ReverificationChallenge.Moderate, true },
        { ReverificationChallenge.Moderate, ReverificationChallenge.Strict, true },
        { ReverificationChallenge.Strict, new ReverificationChallenge(ReverificationFactors.FirstFactor, 60), false },
        { new ReverificationChallenge(ReverificationFactors.FirstFactor, 1), ReverificationChallenge.Lax, false },
        { new ReverificationChallenge(ReverificationFactors.FirstFactor, 1), new ReverificationChallenge(ReverificationFactors.FirstFactor, 1.5), true },
        { new ReverificationChallenge(ReverificationFactors.SecondFactor, 2.5), ReverificationChallenge.Strict, true },
        { ReverificationChallenge.Strict, new ReverificationChallenge(ReverificationFactors.SecondFactor, 2.5), true },
        { new ReverificationChallenge(ReverificationFactors.MultiFactor, 60), ReverificationChallenge.StrictMfa, true },
        { ReverificationChallenge.Lax, new ReverificationChallenge(ReverificationFactors.FirstFactor, 1), false },
    };

    [Theory]
    [MemberData(nameof(CoverCases))]
    public void Covers_FactorsIncluded_WhateverTheMaxAge(ReverificationChallenge done, ReverificationChallenge wanted, bool expected)
        => Assert.Equal(expected, PromptCoordinator.Covers(done, wanted));
}
