using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;
using Reverification.Identity.Internal;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>Start-up validation of <see cref="IdentityReverificationOptions"/>: messages that say what to change.</summary>
public class IdentityReverificationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
        => Assert.True(Validate(new IdentityReverificationOptions()).Succeeded);

    [Theory]
    [InlineData("Custom", "Recording is Custom, but IssueToken is not set")]
    [InlineData("CookieWithIssueToken", "IssueToken is set, but Recording is Cookie")]
    [InlineData("EmptyCookieScheme", "CookieScheme must name the cookie scheme")]
    [InlineData("EmptyBearerScheme", "BearerScheme must name the bearer-token scheme")]
    [InlineData("ZeroLimit", "AttemptLimit must be between 1 and 1000")]
    [InlineData("TinyWindow", "AttemptWindow must be between 1 second and 1 day")]
    [InlineData("UndefinedRecording", "Recording must be Automatic, Cookie, BearerToken or Custom")]
    public void Validate_InvalidOption_SaysWhatToChange(string change, string message)
    {
        var options = new IdentityReverificationOptions();
        switch (change)
        {
            case "Custom": options.Recording = IdentityReverificationRecording.Custom; break;
            case "CookieWithIssueToken":
                options.Recording = IdentityReverificationRecording.Cookie;
                options.IssueToken = static _ => ValueTask.FromResult(Results.Ok());
                break;
            case "EmptyCookieScheme": options.CookieScheme = " "; break;
            case "EmptyBearerScheme": options.BearerScheme = ""; break;
            case "ZeroLimit": options.AttemptLimit = 0; break;
            case "TinyWindow": options.AttemptWindow = TimeSpan.FromMilliseconds(10); break;
            default: options.Recording = (IdentityReverificationRecording)42; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ClaimFormatOtherThanTimestamps_SaysToUseTimestamps()
    {
        var result = Validate(new IdentityReverificationOptions(), o => o.UseClerkFva());

        Assert.Contains("Call options.UseTimestamps()", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IdentityNotRegistered_SaysToAddIdentity()
    {
        var result = Validate(new IdentityReverificationOptions(), identity: false);

        Assert.Contains("UserManager<TestUser> is not registered", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_StopsTheApp()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            IdentityTestApp.StartAsync(configure: static o => o.Recording = IdentityReverificationRecording.Custom));

        Assert.Contains("IssueToken is not set", error.Message, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(IdentityReverificationOptions options, Action<ReverificationOptions>? reverification = null, bool identity = true)
    {
        var services = new ServiceCollection();
        if (identity)
        {
            services.AddIdentityCore<TestUser>();
        }

        services.AddReverification(reverification ?? (static _ => { }));
        using var provider = services.BuildServiceProvider();
        var validator = new IdentityReverificationOptionsValidator<TestUser>(
            provider.GetRequiredService<IServiceProviderIsService>(),
            provider.GetRequiredService<IOptions<ReverificationOptions>>());
        return validator.Validate(Options.DefaultName, options);
    }
}
