using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// "Did you mean": the known level an unknown name was probably meant to be, and the configuration message that
/// offers it.
/// </summary>
public sealed class LevelNameSuggestionTests
{
    private static readonly string[] Presets = ["strict_mfa", "strict", "moderate", "lax"];

    [Theory]
    [InlineData("Strict_MFA", "strict_mfa")]
    [InlineData("STRICT", "strict")]
    [InlineData("Moderate", "moderate")]
    [InlineData("LAX", "lax")]
    public void Find_SameNameInAnotherCase_IsSuggested(string name, string expected)
        => Assert.Equal(expected, LevelNameSuggestion.Find(name, Presets));

    [Theory]
    [InlineData("strickt", "strict")]
    [InlineData("stirct", "strict")]
    [InlineData("stric", "strict")]
    [InlineData("strict-mfa", "strict_mfa")]
    [InlineData("strict_mf", "strict_mfa")]
    [InlineData("strictmfa", "strict_mfa")]
    [InlineData("Strict-Mfa", "strict_mfa")]
    [InlineData("moderat", "moderate")]
    [InlineData("modrate", "moderate")]
    [InlineData("mdoerate", "moderate")]
    [InlineData("moderte_", "moderate")]
    [InlineData("lxa", "lax")]
    [InlineData("lax_", "lax")]
    public void Find_SmallEditDistance_IsSuggested(string name, string expected)
        => Assert.Equal(expected, LevelNameSuggestion.Find(name, Presets));

    [Theory]
    [InlineData("transfer")]
    [InlineData("typo_level")]
    [InlineData("sometimes")]
    [InlineData("nope")]
    [InlineData("medium")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("stri")]
    [InlineData("laxxx")]
    [InlineData("mod")]
    [InlineData("strict_mfa_admin")]
    public void Find_NothingClose_SuggestsNothing(string name)
        => Assert.Null(LevelNameSuggestion.Find(name, Presets));

    [Fact]
    public void Find_AppLevels_AreCandidates()
        => Assert.Equal("export", LevelNameSuggestion.Find("exports", [.. Presets, "export", "payments"]));

    [Fact]
    public void Find_SameNameInAnotherCase_WinsOverACloserEditFirstInTheList()
        => Assert.Equal("export", LevelNameSuggestion.Find("EXPORT", ["exports", "export"]));

    [Fact]
    public void Find_EquallyClose_TheFirstKnownNameWins()
    {
        Assert.Equal("pay1", LevelNameSuggestion.Find("pay3", ["pay1", "pay2"]));
        Assert.Equal("pay2", LevelNameSuggestion.Find("pay3", ["pay2", "pay1"]));
    }

    [Fact]
    public void Find_CloserNameLaterInTheList_Wins()
        => Assert.Equal("payments", LevelNameSuggestion.Find("paymennts", ["payment", "payments"]));

    [Fact]
    public void Find_LazyEnumerable_IsEnumeratedOnce()
    {
        var enumerations = 0;
        IEnumerable<string> Known()
        {
            enumerations++;
            yield return "strict";
            yield return "lax";
        }

        Assert.Equal("lax", LevelNameSuggestion.Find("lxa", Known()));
        Assert.Equal(1, enumerations);
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("a", "", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("strict", "strict", 0)]
    [InlineData("STRICT", "strict", 0)]
    [InlineData("ab", "ba", 1)]
    [InlineData("stirct", "strict", 1)]
    [InlineData("strickt", "strict", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ca", "abc", 3)]
    [InlineData("lax", "moderate", 7)]
    public void Distance_InsertDeleteSubstituteTranspose_CountOneEach(string a, string b, int expected)
    {
        Assert.Equal(expected, LevelNameSuggestion.Distance(a, b));
        Assert.Equal(expected, LevelNameSuggestion.Distance(b, a));
    }

    // The configuration message.

    [Fact]
    public void UnknownLevelMessage_NearMiss_SaysDidYouMean_AndDoesNotSayToRegisterTheTypo()
    {
        var message = ReverificationService.UnknownLevelMessage("Strict_MFA", []);

        Assert.Equal(
            "No reverification level is named 'Strict_MFA'; did you mean 'strict_mfa'? Level names are case-sensitive. The levels are strict_mfa, strict, moderate, lax.",
            message);
    }

    [Fact]
    public void UnknownLevelMessage_NearMissOfAnAppLevel_SuggestsIt()
        => Assert.Contains("did you mean 'export'?", ReverificationService.UnknownLevelMessage("exprot", ["export"]), StringComparison.Ordinal);

    [Fact]
    public void UnknownLevelMessage_NothingClose_ListsTheLevelsAndSaysHowToRegisterIt()
    {
        var message = ReverificationService.UnknownLevelMessage("transfer", ["export"]);

        Assert.Equal(
            "No reverification level is named 'transfer'. Use one of strict_mfa, strict, moderate, lax, export, or register it with "
            + "AddReverification(o => o.AddLevel(\"transfer\", ReverificationFactors.SecondFactor, 10)). Level names are case-sensitive.",
            message);
    }
}
