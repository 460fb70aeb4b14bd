using System.Security.Claims;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore.Internal;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// Every rule of <see cref="ReverificationOptionsValidator"/> and of the claim formats' own options, each with the
/// message that says what to change. That an invalid option stops the app at start-up is
/// <c>ReverificationIntegrationTests.InvalidOptions_FailAtStartUpWithWhatToChange</c>.
/// </summary>
public class ReverificationOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(Action<ReverificationOptions> configure)
    {
        var options = new ReverificationOptions();
        configure(options);
        return new ReverificationOptionsValidator().Validate(null, options);
    }

    private static void AssertValid(ValidateOptionsResult result)
        => Assert.True(result.Succeeded, $"Expected valid options, got: {result.FailureMessage}");

    /// <summary>The errors of options that failed validation.</summary>
    private static IEnumerable<string> Errors(ValidateOptionsResult result)
    {
        Assert.True(result.Failed);
        Assert.NotNull(result.Failures);
        return result.Failures;
    }

    /// <summary>Exactly one error, and it says <paramref name="message"/> (after the "Property X: " prefix).</summary>
    private static void AssertSingleError(ValidateOptionsResult result, string message)
        => Assert.EndsWith(message, Assert.Single(Errors(result)), StringComparison.Ordinal);

    // Defaults.

    [Fact]
    public void Validate_DefaultOptions_AreValid()
        => AssertValid(new ReverificationOptionsValidator().Validate(null, new ReverificationOptions()));

    [Fact]
    public void Validate_DefaultOptionsOfEachBuiltInFormat_AreValid()
    {
        AssertValid(Validate(o => o.UseTimestamps()));
        AssertValid(Validate(o => o.UseClerkFva()));
        AssertValid(Validate(o => o.UseOpenIdConnect()));
        AssertValid(Validate(o => o.UseSupabaseAmr()));
    }

    // ClockSkew.

    [Theory]
    [InlineData(-10_000_000L, "-00:00:01")]
    [InlineData(-1L, "-00:00:00.0000001")]
    [InlineData(6_000_000_001L, "00:10:00.0000001")]
    [InlineData(36_000_000_000L, "01:00:00")]
    public void Validate_ClockSkewOutOfRange_SaysTheRangeTheValueAndTheDefault(long ticks, string shown)
        => AssertSingleError(
            Validate(o => o.ClockSkew = TimeSpan.FromTicks(ticks)),
            $"ClockSkew must be between 0 and 10 minutes (it is {shown}); the default is 1 minute.");

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Validate_ClockSkewAtTheBounds_IsValid(int minutes)
        => AssertValid(Validate(o => o.ClockSkew = TimeSpan.FromMinutes(minutes)));

    // RejectionStatusCode.

    [Theory]
    [InlineData(200)]
    [InlineData(399)]
    [InlineData(600)]
    public void Validate_RejectionStatusCodeNotAnError_SaysToUseA4xxOr5xx(int statusCode)
        => AssertSingleError(
            Validate(o => o.RejectionStatusCode = statusCode),
            $"RejectionStatusCode must be a 4xx or 5xx status code (it is {statusCode}); the contract's is 403.");

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(599)]
    public void Validate_RejectionStatusCode4xxOr5xx_IsValid(int statusCode)
        => AssertValid(Validate(o => o.RejectionStatusCode = statusCode));

    // ChallengeScheme.

    [Theory]
    [InlineData("")]
    [InlineData("Bear er")]
    [InlineData("Bearer ")]
    [InlineData("Bear\"er")]
    [InlineData("Bearer,")]
    public void Validate_ChallengeSchemeNotAToken_SaysItMustBeAnHttpToken(string scheme)
        => AssertSingleError(
            Validate(o => o.ChallengeScheme = scheme),
            $"ChallengeScheme must be an HTTP token such as \"Bearer\" (it is \"{scheme}\").");

    [Fact]
    public void Validate_ChallengeSchemeNull_SaysItMustBeAnHttpToken()
        => AssertSingleError(Validate(o => o.ChallengeScheme = null!), "ChallengeScheme must be an HTTP token such as \"Bearer\" (it is null).");

    [Theory]
    [InlineData("Bearer")]
    [InlineData("DPoP")]
    [InlineData("Custom-Scheme_1.0~!#$%&'*+^`|")]
    public void Validate_ChallengeSchemeAToken_IsValid(string scheme)
        => AssertValid(Validate(o => o.ChallengeScheme = scheme));

    [Theory]
    [InlineData("")]
    [InlineData("Bear er")]
    [InlineData("Bear\"er")]
    public void Validate_ChallengeSchemeNotATokenWithTheHeaderTurnedOff_IsIgnored(string scheme)
        => AssertValid(Validate(o =>
        {
            o.IncludeChallengeHeader = false;
            o.ChallengeScheme = scheme;
        }));

    // ReturnUrlParameter.

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData(null)]
    public void Validate_ReturnUrlParameterEmptyWithAReverifyPath_SaysToNameAParameter(string? parameter)
        => AssertSingleError(
            Validate(o =>
            {
                o.ReverifyPath = "/reverify";
                o.ReturnUrlParameter = parameter!;
            }),
            "ReturnUrlParameter must name a query-string parameter when ReverifyPath is set (the default is \"returnUrl\").");

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_ReturnUrlParameterEmptyWithoutAReverifyPath_IsIgnored(string parameter)
        => AssertValid(Validate(o => o.ReturnUrlParameter = parameter));

    [Fact]
    public void Validate_ReverifyPathWithTheDefaultParameter_IsValid()
        => AssertValid(Validate(o => o.ReverifyPath = "/reverify"));

    // Timestamps.

    [Theory]
    [InlineData("", "''")]
    [InlineData("  ", "'  '")]
    [InlineData(null, "null")]
    public void Validate_TimestampsFirstFactorClaimTypeEmpty_SaysToNameAClaimType(string? claimType, string shown)
        => AssertSingleError(
            Validate(o => o.UseTimestamps(t => t.FirstFactorClaimType = claimType!)),
            $"TimestampClaimsOptions.FirstFactorClaimType must name a claim type (it is {shown}).");

    [Theory]
    [InlineData("", "''")]
    [InlineData("  ", "'  '")]
    [InlineData(null, "null")]
    public void Validate_TimestampsSecondFactorClaimTypeEmpty_SaysToNameAClaimType(string? claimType, string shown)
        => AssertSingleError(
            Validate(o => o.UseTimestamps(t => t.SecondFactorClaimType = claimType!)),
            $"TimestampClaimsOptions.SecondFactorClaimType must name a claim type (it is {shown}).");

    [Fact]
    public void Validate_TimestampsBothClaimTypesTheSame_SaysToGiveEachFactorItsOwnClaim()
        => AssertSingleError(
            Validate(o => o.UseTimestamps(t => t.SecondFactorClaimType = "f1_verified_at")),
            "TimestampClaimsOptions.FirstFactorClaimType and SecondFactorClaimType are both 'f1_verified_at'; give each factor its own claim.");

    [Fact]
    public void Validate_TimestampsBothClaimTypesEmpty_ReportsEachOnceNotAsEqual()
    {
        var errors = Errors(Validate(o => o.UseTimestamps(t => t.FirstFactorClaimType = t.SecondFactorClaimType = ""))).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, static e => Assert.Contains("must name a claim type", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TimestampsClaimTypesDifferingInCaseOnly_AreValid()
    {
        // Claim types are matched ordinally when read, so these are two claims.
        AssertValid(Validate(o => o.UseTimestamps(t => t.SecondFactorClaimType = "F1_VERIFIED_AT")));
    }

    [Fact]
    public void Validate_TimestampsCustomClaimTypes_AreValid()
        => AssertValid(Validate(o => o.UseTimestamps(t =>
        {
            t.FirstFactorClaimType = "pwd_at";
            t.SecondFactorClaimType = "mfa_at";
        })));

    // ClerkFva.

    [Theory]
    [InlineData("", "''")]
    [InlineData(" ", "' '")]
    [InlineData(null, "null")]
    public void Validate_ClerkFvaClaimTypeEmpty_SaysToNameAClaimType(string? claimType, string shown)
        => AssertSingleError(
            Validate(o => o.UseClerkFva(c => c.ClaimType = claimType!)),
            $"ClerkFvaClaimsOptions.ClaimType must name a claim type (it is {shown}).");

    // OpenIdConnect.

    [Fact]
    public void Validate_OpenIdConnectNoSecondFactorMethods_SaysKeepTheDefaultsOrAddMethods()
        => AssertSingleError(
            Validate(o => o.UseOpenIdConnect(c => c.SecondFactorMethods.Clear())),
            "OpenIdConnectClaimsOptions.SecondFactorMethods is empty, so no method would count; keep the defaults or add the methods your identity provider writes.");

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_OpenIdConnectEmptyMethodName_SaysToRemoveIt(string method)
        => AssertSingleError(
            Validate(o => o.UseOpenIdConnect(c => c.SecondFactorMethods.Add(method))),
            "OpenIdConnectClaimsOptions.SecondFactorMethods holds an empty method name; remove it.");

    [Fact]
    public void Validate_OpenIdConnectOnlyAnEmptyMethodName_ReportsTheEmptyName()
        => AssertSingleError(
            Validate(o => o.UseOpenIdConnect(c =>
            {
                c.SecondFactorMethods.Clear();
                c.SecondFactorMethods.Add("");
            })),
            "OpenIdConnectClaimsOptions.SecondFactorMethods holds an empty method name; remove it.");

    [Fact]
    public void Validate_OpenIdConnectOwnMethods_AreValid()
        => AssertValid(Validate(o => o.UseOpenIdConnect(c =>
        {
            c.SecondFactorMethods.Clear();
            c.SecondFactorMethods.Add("urn:example:mfa");
        })));

    // SupabaseAmr.

    [Fact]
    public void Validate_SupabaseAmrNoFirstFactorMethods_SaysKeepTheDefaultsOrAddMethods()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s => s.FirstFactorMethods.Clear())),
            "SupabaseAmrClaimsOptions.FirstFactorMethods is empty, so no method would count; keep the defaults or add the methods your identity provider writes.");

    [Fact]
    public void Validate_SupabaseAmrNoSecondFactorMethods_SaysKeepTheDefaultsOrAddMethods()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s => s.SecondFactorMethods.Clear())),
            "SupabaseAmrClaimsOptions.SecondFactorMethods is empty, so no method would count; keep the defaults or add the methods your identity provider writes.");

    [Fact]
    public void Validate_SupabaseAmrEmptyMethodNameInFirstFactorMethods_SaysToRemoveIt()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s => s.FirstFactorMethods.Add(""))),
            "SupabaseAmrClaimsOptions.FirstFactorMethods holds an empty method name; remove it.");

    [Fact]
    public void Validate_SupabaseAmrEmptyMethodNameInSecondFactorMethods_SaysToRemoveIt()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s => s.SecondFactorMethods.Add("  "))),
            "SupabaseAmrClaimsOptions.SecondFactorMethods holds an empty method name; remove it.");

    [Fact]
    public void Validate_SupabaseAmrMethodInBothSets_NamesTheMethodAndSaysToRemoveItFromOne()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s => s.FirstFactorMethods.Add("totp"))),
            "SupabaseAmrClaimsOptions: a method cannot count as both factors, but 'totp' is in FirstFactorMethods and SecondFactorMethods; remove it from one.");

    [Fact]
    public void Validate_SupabaseAmrSeveralMethodsInBothSets_NamesEachOnceInOrder()
        => AssertSingleError(
            Validate(o => o.UseSupabaseAmr(s =>
            {
                s.SecondFactorMethods.Add("password");
                s.SecondFactorMethods.Add("otp");
            })),
            "a method cannot count as both factors, but 'otp', 'password' are in FirstFactorMethods and SecondFactorMethods; remove each from one.");

    [Fact]
    public void Validate_SupabaseAmrEmptySets_ReportsBoth()
    {
        var result = Validate(o => o.UseSupabaseAmr(s =>
        {
            s.FirstFactorMethods.Clear();
            s.SecondFactorMethods.Clear();
        }));

        var errors = Errors(result);
        Assert.Equal(2, errors.Count());
        Assert.Contains(errors, f => f.Contains("SupabaseAmrClaimsOptions.FirstFactorMethods is empty", StringComparison.Ordinal));
        Assert.Contains(errors, f => f.Contains("SupabaseAmrClaimsOptions.SecondFactorMethods is empty", StringComparison.Ordinal));
    }

    // Choosing the format.

    [Fact]
    public void Validate_LastUseCallWins_AnInvalidFormatReplacedByAValidOneIsValid()
    {
        AssertValid(Validate(o => o.UseClerkFva(c => c.ClaimType = "").UseTimestamps()));
        AssertValid(Validate(o => o.UseTimestamps(t => t.FirstFactorClaimType = "").UseSupabaseAmr()));
        AssertValid(Validate(o => o.UseSupabaseAmr(s => s.FirstFactorMethods.Clear()).UseOpenIdConnect()));
    }

    [Fact]
    public void Validate_LastUseCallWins_AValidFormatReplacedByAnInvalidOneIsInvalid()
        => AssertSingleError(
            Validate(o => o.UseTimestamps().UseOpenIdConnect(c => c.SecondFactorMethods.Clear())),
            "OpenIdConnectClaimsOptions.SecondFactorMethods is empty, so no method would count; keep the defaults or add the methods your identity provider writes.");

    [Fact]
    public void Validate_CustomReader_HasNoFormatRules()
    {
        AssertValid(Validate(o => o.UseClaimsReader(new NoTimesReader())));
        AssertValid(Validate(o => o.UseClaimsReader<NoTimesReader>()));

        // The custom reader replaces an invalid built-in format, whose rules then no longer apply.
        AssertValid(Validate(o => o.UseTimestamps(t => t.FirstFactorClaimType = "").UseClaimsReader(new NoTimesReader())));
    }

    [Fact]
    public void Validate_CustomReader_TheGeneralRulesStillApply()
        => AssertSingleError(
            Validate(o => o.UseClaimsReader(new NoTimesReader()).RejectionStatusCode = 302),
            "RejectionStatusCode must be a 4xx or 5xx status code (it is 302); the contract's is 403.");

    // Several errors.

    [Fact]
    public void Validate_SeveralErrors_AreReportedTogether()
    {
        var result = Validate(o =>
        {
            o.UseTimestamps(t => t.FirstFactorClaimType = "");
            o.ClockSkew = TimeSpan.FromMinutes(-1);
            o.RejectionStatusCode = 200;
            o.ChallengeScheme = "Bear er";
            o.ReverifyPath = "/reverify";
            o.ReturnUrlParameter = "";
        });

        var errors = Errors(result);
        Assert.Collection(
            errors,
            f => Assert.EndsWith("TimestampClaimsOptions.FirstFactorClaimType must name a claim type (it is '').", f, StringComparison.Ordinal),
            f => Assert.EndsWith("ClockSkew must be between 0 and 10 minutes (it is -00:01:00); the default is 1 minute.", f, StringComparison.Ordinal),
            f => Assert.EndsWith("RejectionStatusCode must be a 4xx or 5xx status code (it is 200); the contract's is 403.", f, StringComparison.Ordinal),
            f => Assert.EndsWith("ChallengeScheme must be an HTTP token such as \"Bearer\" (it is \"Bear er\").", f, StringComparison.Ordinal),
            f => Assert.EndsWith("ReturnUrlParameter must name a query-string parameter when ReverifyPath is set (the default is \"returnUrl\").", f, StringComparison.Ordinal));

        // The message OptionsValidationException carries holds each of them.
        foreach (var failure in errors)
        {
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_SeveralFormatErrors_AreReportedTogether()
    {
        var result = Validate(o => o.UseTimestamps(t =>
        {
            t.FirstFactorClaimType = "";
            t.SecondFactorClaimType = null!;
        }));

        Assert.Collection(
            Errors(result),
            f => Assert.EndsWith("TimestampClaimsOptions.FirstFactorClaimType must name a claim type (it is '').", f, StringComparison.Ordinal),
            f => Assert.EndsWith("TimestampClaimsOptions.SecondFactorClaimType must name a claim type (it is null).", f, StringComparison.Ordinal));
    }

    private sealed class NoTimesReader : IVerificationClaimsReader
    {
        public VerificationTimes Read(ClaimsIdentity identity) => VerificationTimes.Missing;
    }
}
