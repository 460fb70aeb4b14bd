using System.Globalization;
using Reverification.Client;

namespace Reverification.Blazor;

/// <summary>
/// The English texts <see cref="ReverificationDialog"/> shows by default. Replace them with
/// <see cref="ReverificationDialog.Description"/>; <see cref="DescribeMaxAge"/> helps an app's own sentence.
/// </summary>
public static class ReverificationText
{
    /// <summary>
    /// What to verify and within how long (the max age), for example "Confirm it's you with your second factor, such as
    /// a code from your authenticator app. This action needs a verification from the last 10 minutes."
    /// </summary>
    /// <param name="challenge">What the server asked for.</param>
    /// <returns>The sentence.</returns>
    public static string Describe(ReverificationChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return $"{DescribeFactors(challenge.Factors)} This action needs a verification from the last {DescribeMaxAge(challenge.MaxAgeMinutes)}.";
    }

    /// <summary>What to verify, for example "Confirm it's you with your password.".</summary>
    private static string DescribeFactors(ReverificationFactors factors) => factors switch
    {
        ReverificationFactors.FirstFactor => "Confirm it's you with your password.",
        ReverificationFactors.SecondFactor => "Confirm it's you with your second factor, such as a code from your authenticator app.",
        ReverificationFactors.MultiFactor => "Confirm it's you with both your password and your second factor.",
        _ => throw new ArgumentOutOfRangeException(nameof(factors), factors, "Use FirstFactor, SecondFactor or MultiFactor."),
    };

    /// <summary>A max age in words: "10 minutes", "1 hour", "24 hours", "2.5 minutes", "30 seconds".</summary>
    /// <param name="maxAgeMinutes">The max age in minutes, as <see cref="ReverificationChallenge.MaxAgeMinutes"/>.</param>
    /// <returns>The words.</returns>
    public static string DescribeMaxAge(double maxAgeMinutes)
    {
        if (maxAgeMinutes < 1)
        {
            return Plural(Math.Round(maxAgeMinutes * 60, 1), "second");
        }

        if (maxAgeMinutes >= 60 && maxAgeMinutes % 60 == 0)
        {
            return Plural(maxAgeMinutes / 60, "hour");
        }

        return Plural(maxAgeMinutes, "minute");
    }

    private static string Plural(double value, string unit)
        => string.Create(CultureInfo.InvariantCulture, $"{value} {unit}{(value == 1 ? string.Empty : "s")}");
}
