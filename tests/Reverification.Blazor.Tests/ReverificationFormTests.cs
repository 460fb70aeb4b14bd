using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;
using Reverification.Blazor.Internal;
using Reverification.Client;

namespace Reverification.Blazor.Tests;

/// <summary>
/// The ready form inside the dialog, with the browser side (fetch, WebAuthn, focus) mocked by bUnit's JS interop in
/// strict mode: every call the form makes must be one set up here.
/// </summary>
public sealed class ReverificationFormTests : BunitContext
{
    private const string TwoFactorStale = """{"methods":["password","authenticator","recovery_code"],"recoveryCodesLeft":3,"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700,"verificationData":"found"}""";
    private const string PasswordOnlyStale = """{"methods":["password"],"recoveryCodesLeft":0,"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":null,"verificationData":"found"}""";

    private readonly BunitJSModuleInterop _form;
    private readonly JSRuntimeInvocationHandler<EndpointResponse> _methods;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero));

    public ReverificationFormTests()
    {
        Services.AddReverificationBlazor();
        Services.AddSingleton<TimeProvider>(_time);
        JSInterop.Mode = JSRuntimeMode.Strict;
        var dialog = JSInterop.SetupModule("./_content/Reverification.Blazor/reverificationDialog.js");
        dialog.Setup<bool>("open", _ => true).SetResult(true);
        dialog.SetupVoid("restoreFocus").SetVoidResult();
        _form = JSInterop.SetupModule(FormScript.ModulePath);
        _form.SetupVoid("focus", _ => true).SetVoidResult();
        _methods = Send("GET", "/reverify/methods");
    }

    private ReverificationDialogService DialogService => Services.GetRequiredService<ReverificationDialogService>();

    private JSRuntimeInvocationHandler<EndpointResponse> Send(string method, string path)
        => _form.Setup<EndpointResponse>("send", i => i.Arguments.Count == 4 && (string?)i.Arguments[0] == method && (string?)i.Arguments[1] == path);

    private IRenderedComponent<ReverificationDialog> Open(ReverificationChallenge challenge, out Task<bool> result, string? prefix = null)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<ReverificationDialog>(p => p.Add(d => d.ChildContent, context => builder =>
        {
            builder.OpenComponent<ReverificationForm>(0);
            builder.AddComponentParameter(1, nameof(ReverificationForm.DialogContext), context);
            if (prefix is not null)
            {
                builder.AddComponentParameter(2, nameof(ReverificationForm.EndpointPrefix), prefix);
            }

            builder.CloseComponent();
        }));
        result = DialogService.ReverifyAsync(challenge, CancellationToken.None);
        cut.WaitForElement("[data-testid=reverification-form]");
        return cut;
    }

    private void AssertFocused(string id)
        => Assert.Contains(_form.Invocations["focus"], i => (string?)i.Arguments[0] == id);

    private static string? Error(IRenderedComponent<ReverificationDialog> cut)
        => cut.FindAll("[data-testid=reverification-error]").SingleOrDefault()?.TextContent;

    [Fact]
    public void Strict_TwoFactorAccount_AsksTheAuthenticatorCodeLabelledAndFocused()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));

        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForAssertion(() => Assert.Equal("second_factor", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step")));
        var code = cut.Find("[data-testid=reverification-code]");
        Assert.Equal(ReverificationForm.CodeId, code.Id);
        Assert.Equal("one-time-code", code.GetAttribute("autocomplete"));
        Assert.Equal("numeric", code.GetAttribute("inputmode"));
        Assert.Equal("Code from your authenticator app", cut.Find($"label[for={ReverificationForm.CodeId}]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=reverification-password]"));
        Assert.Single(cut.FindAll("[data-testid=reverification-use-recovery-code]"));
        Assert.Empty(cut.FindAll("[data-testid=reverification-passkey]"));
        cut.WaitForAssertion(() => AssertFocused(ReverificationForm.CodeId));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public async Task Approval_FreshFactors_StillAskedAndEachSentWithTheApprovalId()
    {
        // Both factors a minute old: without an approval the form would complete at once. An approval needs the level's
        // factors verified with its id, so strict_mfa asks for the password, then the code, each sent with the id.
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("700", "60", StringComparison.Ordinal)));
        var password = Send("POST", "/reverify/password");
        password.SetResult(new EndpointResponse(204, null));
        var authenticator = Send("POST", "/reverify/authenticator");
        authenticator.SetResult(new EndpointResponse(204, null));
        Assert.True(ReverificationChallenge.TryParse(
            "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict_mfa\",\"approval\":{\"id\":\"abc_DEF-123\",\"summary\":\"Send 600.00 EUR to Carol\",\"expiresIn\":300}}}}",
            out var challenge));

        var cut = Open(challenge, out var result);

        cut.WaitForElement("[data-testid=reverification-password]").Input("pw");
        cut.Find("[data-testid=reverification-form]").Submit();
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(10)), "the dialog completes (verified)");
        using (var body = JsonDocument.Parse((string)Assert.Single(password.Invocations).Arguments[2]!))
        {
            Assert.Equal("pw", body.RootElement.GetProperty("password").GetString());
            Assert.Equal("abc_DEF-123", body.RootElement.GetProperty("approvalId").GetString());
        }

        using (var body = JsonDocument.Parse((string)Assert.Single(authenticator.Invocations).Arguments[2]!))
        {
            Assert.Equal("123456", body.RootElement.GetProperty("code").GetString());
            Assert.Equal("abc_DEF-123", body.RootElement.GetProperty("approvalId").GetString());
        }
    }

    private const string WithPasskeyStale = """{"methods":["password","authenticator","passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700,"verificationData":"found"}""";
    private const string Credential = """{"id":"abc","rawId":"abc","type":"public-key","response":{"authenticatorData":"AA","clientDataJSON":"AA","signature":"AA"}}""";
    private const string StrictMfaApproval = "{\"clerk_error\":{\"type\":\"forbidden\",\"reason\":\"reverification-error\",\"metadata\":{\"reverification\":\"strict_mfa\",\"approval\":{\"id\":\"abc_DEF-123\",\"summary\":\"Send 600.00 EUR to Carol\",\"expiresIn\":300}}}}";

    private static ReverificationChallenge Challenge(string json)
    {
        Assert.True(ReverificationChallenge.TryParse(json, out var challenge));
        return challenge;
    }

    private JSRuntimeInvocationHandler<EndpointResponse> SetUpPasskey()
    {
        Send("POST", "/reverify/passkey/options").SetResult(new EndpointResponse(200, """{"challenge":"AAAA"}"""));
        _form.Setup<PasskeyCeremony>("getPasskey", _ => true).SetResult(new PasskeyCeremony(Credential, null));
        return Send("POST", "/reverify/passkey");
    }

    private static string? Notice(IRenderedComponent<ReverificationDialog> cut)
        => cut.Find("[data-testid=reverification-notice]").TextContent is { Length: > 0 } text ? text : null;

    private static string ApprovalIdOf(JSRuntimeInvocation invocation)
    {
        using var body = JsonDocument.Parse((string)invocation.Arguments[2]!);
        return body.RootElement.GetProperty("approvalId").GetString()!;
    }

    [Fact]
    public async Task Approval_PasskeyWithoutUserVerificationPending_ExplainsAsksThePasswordThenTheCodeNeverCompletesEarly()
    {
        // The server recorded the passkey as a second factor only (no user verification) and says the strict_mfa
        // approval is still pending: the form must not complete (the retry would get a fresh 403) but say why and ask
        // for what can still approve it: the password, then a second factor once more.
        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale));
        var passkey = SetUpPasskey();
        passkey.SetResult(new EndpointResponse(204, string.Empty, "pending"));
        var password = Send("POST", "/reverify/password");
        password.SetResult(new EndpointResponse(204, string.Empty, "pending"));
        var authenticator = Send("POST", "/reverify/authenticator");
        authenticator.SetResult(new EndpointResponse(204, string.Empty, "approved"));
        var cut = Open(Challenge(StrictMfaApproval), out var result);
        var notice = cut.Find("[data-testid=reverification-notice]");
        Assert.Equal("status", notice.GetAttribute("role"));
        Assert.Equal("polite", notice.GetAttribute("aria-live"));
        Assert.Null(Notice(cut));

        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "This passkey did not confirm it's you (no PIN or biometric), so it counts only as something you have. Enter your password, then confirm with your second factor once more.",
            Notice(cut)));
        Assert.False(result.IsCompleted);
        Assert.Equal("first_factor", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step"));
        cut.WaitForAssertion(() => AssertFocused(ReverificationForm.PasswordId));
        Assert.Null(Error(cut));

        cut.Find("[data-testid=reverification-password]").Input("pw");
        cut.Find("[data-testid=reverification-form]").Submit();
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        Assert.Null(Notice(cut));
        Assert.False(result.IsCompleted);
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("abc_DEF-123", ApprovalIdOf(Assert.Single(passkey.Invocations)));
        Assert.Equal("abc_DEF-123", ApprovalIdOf(Assert.Single(password.Invocations)));
        Assert.Equal("abc_DEF-123", ApprovalIdOf(Assert.Single(authenticator.Invocations)));
    }

    [Fact]
    public void Approval_PasskeyOnlyAccountWithoutUserVerification_AsksForAPasskeyWithPinAndDoesNotComplete()
    {
        _methods.SetResult(new EndpointResponse(200, """{"methods":["passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700}"""));
        SetUpPasskey().SetResult(new EndpointResponse(204, string.Empty, "pending"));
        var cut = Open(Challenge(StrictMfaApproval), out var result);

        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "This passkey did not confirm it's you (no PIN or biometric), so it counts only as something you have. Use a passkey that asks for your PIN or biometric.",
            Notice(cut)));
        Assert.False(result.IsCompleted);
        Assert.False(cut.Find("[data-testid=reverification-passkey]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Approval_PasskeyApproved_CompletesAtOnce()
    {
        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale));
        var passkey = SetUpPasskey();
        passkey.SetResult(new EndpointResponse(204, string.Empty, "approved"));
        var cut = Open(Challenge(StrictMfaApproval), out var result);

        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(Send("POST", "/reverify/password").Invocations);
    }

    [Fact]
    public void Approval_PasswordPendingWhereThePlanSawNoSecondFactor_SaysSoAndDoesNotComplete()
    {
        // The methods list no second factor, so the plan would be done after the password; the server (whose reading of
        // the claims decides) says the approval still needs a second factor: the form says so instead of completing.
        _methods.SetResult(new EndpointResponse(200, PasswordOnlyStale));
        Send("POST", "/reverify/password").SetResult(new EndpointResponse(204, string.Empty, "pending"));
        var cut = Open(Challenge(StrictMfaApproval.Replace("strict_mfa", "strict", StringComparison.Ordinal)), out var result);

        cut.WaitForElement("[data-testid=reverification-password]").Input("pw");
        cut.Find("[data-testid=reverification-form]").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Your password is confirmed, but approving this also needs your second factor.", Notice(cut)));
        Assert.Equal("Your account has no second factor or passkey to confirm it's you with.", Error(cut));
        Assert.Equal("none", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step"));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void Approval_CodePendingForAnApprovalThatNeedsTheFirstFactor_AsksThePassword()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        Send("POST", "/reverify/authenticator").SetResult(new EndpointResponse(204, string.Empty, "pending"));
        var cut = Open(Challenge(StrictMfaApproval.Replace("\"reverification\":\"strict_mfa\"", "\"reverification\":\"strict\"", StringComparison.Ordinal)), out var result);

        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        cut.WaitForElement("[data-testid=reverification-password]");
        Assert.Equal("That code was accepted, but it does not approve this on its own. Enter your password to continue.", Notice(cut));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void StrictMfa_PasskeyWithoutUserVerification_ExplainsWhyThePasswordIsAsked()
    {
        // No approval: the ages decide. The passkey recorded only the second factor, so the first is still stale.
        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale));
        var passkey = SetUpPasskey();
        var cut = Open(ReverificationChallenge.StrictMfa, out var result);
        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale.Replace("\"secondFactorAgeSeconds\":700", "\"secondFactorAgeSeconds\":0", StringComparison.Ordinal)));
        passkey.SetResult(new EndpointResponse(204, string.Empty));

        cut.WaitForAssertion(() => Assert.Equal(
            "This passkey did not confirm it's you (no PIN or biometric), so it counts only as something you have. Enter your password to continue.",
            Notice(cut)));
        Assert.Equal("first_factor", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step"));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void FirstFactorLevel_AsksThePasswordWithCurrentPasswordAutocomplete()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));

        var cut = Open(new ReverificationChallenge(ReverificationFactors.FirstFactor, 5), out _);

        var password = cut.WaitForElement("[data-testid=reverification-password]");
        Assert.Equal("password", password.GetAttribute("type"));
        Assert.Equal("current-password", password.GetAttribute("autocomplete"));
        Assert.Equal("Password", cut.Find($"label[for={ReverificationForm.PasswordId}]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=reverification-code]"));
        cut.WaitForAssertion(() => AssertFocused(ReverificationForm.PasswordId));
    }

    [Fact]
    public void Strict_AccountWithoutSecondFactor_AsksThePassword()
    {
        _methods.SetResult(new EndpointResponse(200, PasswordOnlyStale));

        var cut = Open(ReverificationChallenge.Strict, out _);

        cut.WaitForElement("[data-testid=reverification-password]");
        Assert.Equal("first_factor", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step"));
        Assert.Empty(cut.FindAll("[data-testid=reverification-code]"));
    }

    [Fact]
    public void StrictMfa_FreshPassword_AsksOnlyTheCode()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"firstFactorAgeSeconds\":700", "\"firstFactorAgeSeconds\":30", StringComparison.Ordinal)));

        var cut = Open(ReverificationChallenge.StrictMfa, out _);

        cut.WaitForElement("[data-testid=reverification-code]");
        Assert.Empty(cut.FindAll("[data-testid=reverification-password]"));
    }

    [Fact]
    public async Task StrictMfa_PasswordThenCode_CompletesAndFocusesTheCodeFieldWhenItAppears()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var password = Send("POST", "/reverify/password");
        var authenticator = Send("POST", "/reverify/authenticator");
        var cut = Open(ReverificationChallenge.StrictMfa, out var result);

        cut.WaitForElement("[data-testid=reverification-password]").Input("p\"w\\1");
        cut.Find("[data-testid=reverification-form]").Submit();

        // The body is JSON built by a writer: quotes and backslashes in the password stay inside the string.
        var sent = Assert.Single(password.Invocations);
        Assert.Equal("p\"w\\1", JsonDocument.Parse((string)sent.Arguments[2]!).RootElement.GetProperty("password").GetString());
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"firstFactorAgeSeconds\":700", "\"firstFactorAgeSeconds\":0", StringComparison.Ordinal)));
        password.SetResult(new EndpointResponse(204, string.Empty));

        cut.WaitForElement("[data-testid=reverification-code]").Input("123 456");
        cut.WaitForAssertion(() => AssertFocused(ReverificationForm.CodeId));
        Assert.False(result.IsCompleted);
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.Equal("""{"code":"123456"}""", Assert.Single(authenticator.Invocations).Arguments[2]);
        _methods.SetResult(new EndpointResponse(200, """{"methods":["password","authenticator"],"firstFactorAgeSeconds":0,"secondFactorAgeSeconds":0}"""));
        authenticator.SetResult(new EndpointResponse(204, string.Empty));

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]")));
    }

    [Fact]
    public void WrongCode_ShowsTheErrorAndKeepsTheDialogOpen()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        Send("POST", "/reverify/authenticator").SetResult(new EndpointResponse(400, """{"title":"Verification failed.","reason":"wrong","detail":"The code is not correct."}"""));
        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForElement("[data-testid=reverification-code]").Input("000000");
        cut.Find("[data-testid=reverification-form]").Submit();

        cut.WaitForAssertion(() => Assert.Equal("That code is not correct. Check your authenticator app and try again.", Error(cut)));
        Assert.Equal("alert", cut.Find("[data-testid=reverification-error]").GetAttribute("role"));
        Assert.False(result.IsCompleted);
    }

    [Theory]
    [InlineData("""{"reason":"replayed"}""", 400, "That code was already used. Wait for the next code from your authenticator app.")]
    [InlineData("""{"reason":"rate_limited"}""", 429, "Too many attempts. Wait a minute, then try again.")]
    [InlineData("""{"reason":"locked_out","lockoutEnd":"2026-12-02T07:05:00.0000000Z"}""", 429, "Too many failed attempts: your account is locked. Try again after 07:05 UTC (in 5 minutes).")]
    [InlineData("""{"reason":"locked_out"}""", 429, "Too many failed attempts: your account is locked. Try again later.")]
    [InlineData("not json", 500, "The verification failed (HTTP 500). Try again.")]
    [InlineData("", 0, "The server could not be reached. Check your connection and try again.")]
    public void FailedVerification_ShowsWhatTheEndpointSaid(string body, int status, string expected)
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        Send("POST", "/reverify/authenticator").SetResult(new EndpointResponse(status, body));
        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        cut.WaitForAssertion(() => Assert.Equal(expected, Error(cut)));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void MalformedCode_NotSent()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var authenticator = Send("POST", "/reverify/authenticator");
        var cut = Open(ReverificationChallenge.Strict, out _);

        cut.WaitForElement("[data-testid=reverification-code]").Input("12ab");
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.Equal("Enter the 6\u2011digit code from your authenticator app.", Error(cut));
        Assert.Empty(authenticator.Invocations);
    }

    [Fact]
    public async Task RecoveryCode_SwitchedTo_SentAndCompletes()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var recovery = Send("POST", "/reverify/recovery-code");
        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForElement("[data-testid=reverification-use-recovery-code]").Click();
        var field = cut.Find("[data-testid=reverification-recovery-code]");
        Assert.Equal("off", field.GetAttribute("autocomplete"));
        cut.WaitForAssertion(() => AssertFocused(ReverificationForm.RecoveryCodeId));
        field.Input(" abcde-12345 ");
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.Equal("""{"code":"abcde-12345"}""", Assert.Single(recovery.Invocations).Arguments[2]);
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"secondFactorAgeSeconds\":700", "\"secondFactorAgeSeconds\":0", StringComparison.Ordinal)));
        recovery.SetResult(new EndpointResponse(204, string.Empty));
        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Passkey_CeremonyCancelled_ShowsAMessageNeverHangs()
    {
        _methods.SetResult(new EndpointResponse(200, """{"methods":["password","passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":null}"""));
        Send("POST", "/reverify/passkey/options").SetResult(new EndpointResponse(200, """{"challenge":"AAAA","rpId":"localhost"}"""));
        _form.Setup<PasskeyCeremony>("getPasskey", i => (string?)i.Arguments[0] == """{"challenge":"AAAA","rpId":"localhost"}""")
            .SetResult(new PasskeyCeremony(null, "cancelled"));
        var passkey = Send("POST", "/reverify/passkey");
        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The passkey prompt was cancelled or timed out. Try again, or use another way.", Error(cut)));
        Assert.Empty(passkey.Invocations);
        Assert.False(result.IsCompleted);
        Assert.False(cut.Find("[data-testid=reverification-passkey]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Passkey_Asserted_SendsTheCredentialAndCompletes()
    {
        const string Credential = """{"id":"abc","rawId":"abc","type":"public-key","response":{"authenticatorData":"AA","clientDataJSON":"AA","signature":"AA"}}""";
        _methods.SetResult(new EndpointResponse(200, """{"methods":["passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700}"""));
        Send("POST", "/reverify/passkey/options").SetResult(new EndpointResponse(200, """{"challenge":"AAAA"}"""));
        _form.Setup<PasskeyCeremony>("getPasskey", _ => true).SetResult(new PasskeyCeremony(Credential, null));
        var passkey = Send("POST", "/reverify/passkey");
        var cut = Open(ReverificationChallenge.StrictMfa, out var result);

        // A passkey-only account: no field, the passkey button.
        Assert.Empty(cut.WaitForElement("[data-testid=reverification-form]").QuerySelectorAll("input"));
        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        var body = JsonDocument.Parse((string)Assert.Single(passkey.Invocations).Arguments[2]!);
        Assert.Equal("abc", body.RootElement.GetProperty("credential").GetProperty("id").GetString());
        _methods.SetResult(new EndpointResponse(200, """{"methods":["passkey"],"firstFactorAgeSeconds":0,"secondFactorAgeSeconds":0}"""));
        passkey.SetResult(new EndpointResponse(204, string.Empty));
        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Passkey_NotJsonFromTheBrowser_NotSent()
    {
        _methods.SetResult(new EndpointResponse(200, """{"methods":["passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700}"""));
        Send("POST", "/reverify/passkey/options").SetResult(new EndpointResponse(200, "{}"));
        _form.Setup<PasskeyCeremony>("getPasskey", _ => true).SetResult(new PasskeyCeremony("1}, \"x\": {", null));
        var passkey = Send("POST", "/reverify/passkey");
        var cut = Open(ReverificationChallenge.Strict, out _);

        cut.WaitForElement("[data-testid=reverification-passkey]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The passkey could not be used. Try again, or use another way.", Error(cut)));
        Assert.Empty(passkey.Invocations);
    }

    [Fact]
    public async Task Cancel_WhileAVerificationIsUnderway_ReturnsFalse()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        Send("POST", "/reverify/authenticator"); // never answers
        var cut = Open(ReverificationChallenge.Strict, out var result);
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        cut.Find("[data-testid=reverification-cancel]").Click();

        Assert.False(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=reverification-dialog]")));
    }

    [Fact]
    public void MethodsUnavailable_ShowsTheErrorAndARetry()
    {
        _methods.SetResult(new EndpointResponse(401, string.Empty));

        var cut = Open(ReverificationChallenge.Strict, out _);

        cut.WaitForAssertion(() => Assert.Equal("You are signed out. Sign in again.", Error(cut)));
        Assert.Single(cut.FindAll("[data-testid=reverification-retry]"));
        Assert.Empty(cut.FindAll("input"));
    }

    [Fact]
    public void EndpointPrefix_UsedForEveryCall()
    {
        var methods = Send("GET", "/account/reverify/methods");
        methods.SetResult(new EndpointResponse(200, TwoFactorStale));

        var cut = Open(ReverificationChallenge.Strict, out _, prefix: "/account/reverify/");

        cut.WaitForElement("[data-testid=reverification-code]");
        Assert.Single(methods.Invocations);
        Assert.Empty(_methods.Invocations);
    }

    [Fact]
    public async Task BlazorServer_ReceiptAppliedToTheCircuitBeforeCompleting()
    {
        var receipts = new FakeReceipts(result: true);
        Services.AddSingleton<IReverificationReceiptHandler>(receipts);
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var authenticator = Send("POST", "/reverify/authenticator");
        var receipt = Send("POST", "/reverify/receipt");
        receipt.SetResult(new EndpointResponse(200, """{"receipt":"R1","expiresIn":120}"""));
        var cut = Open(ReverificationChallenge.Strict, out var result);
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"secondFactorAgeSeconds\":700", "\"secondFactorAgeSeconds\":0", StringComparison.Ordinal)));
        authenticator.SetResult(new EndpointResponse(204, string.Empty));

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(["R1"], receipts.Applied);
        Assert.Equal("{}", Assert.Single(receipt.Invocations).Arguments[2]);
    }

    [Fact]
    public void BlazorServer_ReceiptRefused_ErrorAndTheDialogStaysOpen()
    {
        var receipts = new FakeReceipts(result: false);
        Services.AddSingleton<IReverificationReceiptHandler>(receipts);
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var authenticator = Send("POST", "/reverify/authenticator");
        Send("POST", "/reverify/receipt").SetResult(new EndpointResponse(200, """{"receipt":"forged"}"""));
        var cut = Open(ReverificationChallenge.Strict, out var result);
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"secondFactorAgeSeconds\":700", "\"secondFactorAgeSeconds\":0", StringComparison.Ordinal)));
        authenticator.SetResult(new EndpointResponse(204, string.Empty));

        cut.WaitForAssertion(() => Assert.Equal("Your verification was recorded, but this page could not take it into account. Reload the page.", Error(cut)));
        Assert.False(result.IsCompleted);
    }

    private static EndpointRequestOptions? OptionsOf(JSRuntimeInvocation invocation) => (EndpointRequestOptions?)invocation.Arguments[3];

    [Fact]
    public void CookieApp_SendsWithoutOptions_TheBrowsersCookiesOnly()
    {
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));

        var cut = Open(ReverificationChallenge.Strict, out _);

        cut.WaitForElement("[data-testid=reverification-code]");
        Assert.Null(OptionsOf(Assert.Single(_methods.Invocations)));
    }

    [Fact]
    public async Task Bearer_EveryRequestCarriesTheCurrentHeaderWithoutCookies_AndTheNewTokenIsStoredBeforeGoingOn()
    {
        var tokens = new FakeAuthorization("Bearer first");
        Services.AddSingleton<IReverificationFormAuthorization>(tokens);
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        var authenticator = Send("POST", "/reverify/authenticator");
        var cut = Open(ReverificationChallenge.Strict, out var result);
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");
        cut.Find("[data-testid=reverification-form]").Submit();

        Assert.Equal(new EndpointRequestOptions("Bearer first", "omit", null), OptionsOf(Assert.Single(authenticator.Invocations)));
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale.Replace("\"secondFactorAgeSeconds\":700", "\"secondFactorAgeSeconds\":0", StringComparison.Ordinal)));
        authenticator.SetResult(new EndpointResponse(200, """{"tokenType":"Bearer","accessToken":"second","expiresIn":3600}"""));

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([(200, """{"tokenType":"Bearer","accessToken":"second","expiresIn":3600}""")], tokens.Verified);
        // The methods are read again with the new token, which the app stored from the answer.
        Assert.Equal(
            [new EndpointRequestOptions("Bearer first", "omit", null), new EndpointRequestOptions("Bearer second", "omit", null)],
            _methods.Invocations.Select(OptionsOf));
    }

    [Fact]
    public void Bearer_AbsolutePrefix_SentToThatUrlWithItsOriginAndNoPasskeyOffered()
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization("Bearer t"));
        var methods = Send("GET", "https://api.example.com/reverify/methods");
        methods.SetResult(new EndpointResponse(200, WithPasskeyStale));

        var cut = Open(ReverificationChallenge.Strict, out _, prefix: "https://api.example.com/reverify/");

        cut.WaitForElement("[data-testid=reverification-code]");
        Assert.Equal(new EndpointRequestOptions("Bearer t", "omit", "https://api.example.com"), OptionsOf(Assert.Single(methods.Invocations)));
        Assert.Empty(_methods.Invocations);
        // Identity keeps the passkey challenge in a cookie of that origin, which a fetch without credentials cannot keep.
        Assert.Empty(cut.FindAll("[data-testid=reverification-passkey]"));
    }

    [Fact]
    public void Bearer_AbsolutePrefix_PasskeyOnlyAccount_SaysWhyInsteadOfAnEmptyForm()
    {
        // Nothing on the page could verify: no password, and the passkey cannot be used from another origin.
        Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization("Bearer t"));
        var methods = Send("GET", "https://api.example.com/reverify/methods");
        methods.SetResult(new EndpointResponse(200, """{"methods":["passkey"],"firstFactorAgeSeconds":700,"secondFactorAgeSeconds":700,"verificationData":"found"}"""));

        var cut = Open(ReverificationChallenge.Strict, out _, prefix: "https://api.example.com/reverify");

        cut.WaitForAssertion(() => Assert.Equal("none", cut.Find("[data-testid=reverification-form]").GetAttribute("data-step")));
        Assert.Contains("passkey, which this app cannot use here", Error(cut), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=reverification-passkey]"));
        Assert.Empty(cut.FindAll("[data-testid=reverification-submit]"));
    }

    [Fact]
    public async Task Bearer_SameOriginPasskey_ThePasskeyPairCarriesTheCookieOfThisSiteAndTheHeader()
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization("Bearer t"));
        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale));
        var options = Send("POST", "/reverify/passkey/options");
        options.SetResult(new EndpointResponse(200, """{"challenge":"AAAA"}"""));
        _form.Setup<PasskeyCeremony>("getPasskey", _ => true).SetResult(new PasskeyCeremony(Credential, null));
        var passkey = Send("POST", "/reverify/passkey");
        passkey.SetResult(new EndpointResponse(200, """{"accessToken":"new"}"""));
        var cut = Open(ReverificationChallenge.StrictMfa, out var result);

        var button = cut.WaitForElement("[data-testid=reverification-passkey]");
        _methods.SetResult(new EndpointResponse(200, WithPasskeyStale.Replace("700", "0", StringComparison.Ordinal)));
        button.Click();

        Assert.True(await result.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(new EndpointRequestOptions("Bearer t", "same-origin", null), OptionsOf(Assert.Single(options.Invocations)));
        Assert.Equal(new EndpointRequestOptions("Bearer t", "same-origin", null), OptionsOf(Assert.Single(passkey.Invocations)));
    }

    [Theory]
    [InlineData("Bearer a\r\nX-Evil: 1")]
    [InlineData("")]
    [InlineData(null)] // the provider throws
    public void Bearer_NoUsableHeader_NothingSentErrorAndRetryShown(string? header)
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization(header, throws: header is null));

        var cut = Open(ReverificationChallenge.Strict, out var result);

        cut.WaitForAssertion(() => Assert.Equal("Your sign-in token could not be renewed. Sign in again.", Error(cut)));
        Assert.Empty(_methods.Invocations);
        Assert.Single(cut.FindAll("[data-testid=reverification-retry]"));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public void Bearer_NewTokenCannotBeStored_ErrorAndTheDialogStaysOpen()
    {
        Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization("Bearer t", throwsOnVerified: true));
        _methods.SetResult(new EndpointResponse(200, TwoFactorStale));
        Send("POST", "/reverify/authenticator").SetResult(new EndpointResponse(200, "{}"));
        var cut = Open(ReverificationChallenge.Strict, out var result);
        cut.WaitForElement("[data-testid=reverification-code]").Input("123456");

        cut.Find("[data-testid=reverification-form]").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Your verification was recorded, but this app could not keep its new sign-in token. Try again.", Error(cut)));
        Assert.Single(_methods.Invocations);
        Assert.False(result.IsCompleted);
    }

    [Theory]
    [InlineData("/reverify", true)]
    [InlineData("/reverify", false)]
    [InlineData("reverify", false)]
    [InlineData("/account/re:verify", false)]
    public void EndpointOrigin_AppRelative_NoOtherOrigin(string prefix, bool bearer)
        => Assert.Null(ReverificationForm.EndpointOrigin(prefix, bearer));

    [Theory]
    [InlineData("https://api.example.com/reverify", "https://api.example.com")]
    [InlineData("https://API.example.com:8443/reverify", "https://api.example.com:8443")]
    [InlineData("https://bücher.example/reverify", "https://xn--bcher-kva.example")]
    [InlineData("http://localhost:5000/reverify", "http://localhost:5000")]
    [InlineData("http://127.0.0.1/reverify", "http://127.0.0.1")]
    public void EndpointOrigin_AbsoluteForABearerApp_ItsOrigin(string prefix, string origin)
        => Assert.Equal(origin, ReverificationForm.EndpointOrigin(prefix, bearer: true, pageIsLoopback: true));

    [Fact]
    public void EndpointOrigin_HttpLoopbackFromAPageElsewhere_Refused()
    {
        // A development prefix left in a production build would send each user's token to their own machine.
        var error = Assert.Throws<InvalidOperationException>(() => ReverificationForm.EndpointOrigin("http://localhost:5000/reverify", bearer: true, pageIsLoopback: false));
        Assert.Contains("from a page on localhost", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.example.com/reverify", false, "only an app on bearer tokens may give")]
    [InlineData("http://api.example.com/reverify", true, "give an https URL")]
    [InlineData("https://user:secret@api.example.com/reverify", true, "without user name")]
    [InlineData("https://api.example.com/reverify?next=1", true, "without user name, query or fragment")]
    [InlineData("https://api.example.com/reverify#x", true, "without user name, query or fragment")]
    [InlineData("javascript:alert(1)", true, "give an https URL")]
    [InlineData("file:///etc/reverify", true, "give an https URL")]
    [InlineData("//evil.example/reverify", true, "names another site without a scheme")]
    [InlineData("/\\evil.example/reverify", true, "names another site without a scheme")]
    [InlineData("\\\\evil.example/reverify", false, "names another site without a scheme")]
    public void EndpointOrigin_AnythingElse_RefusedSayingWhatToGive(string prefix, bool bearer, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReverificationForm.EndpointOrigin(prefix, bearer));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("/reverify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "https://evil.example/reverify", "only an app on bearer tokens may give")]
    [InlineData(true, "http://evil.example/reverify", "give an https URL")]
    [InlineData(true, "//evil.example/reverify", "names another site without a scheme")]
    public void Render_PrefixThatWouldSendSecretsElsewhere_RefusedBeforeAnythingIsSent(bool bearer, string prefix, string expected)
    {
        // A cookie app's form would send the password to that site; a bearer app's, its token over plain http.
        if (bearer)
        {
            Services.AddSingleton<IReverificationFormAuthorization>(new FakeAuthorization("Bearer t"));
        }

        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var context = new ReverificationDialogContext(ReverificationChallenge.Strict, static _ => { });

        var error = Assert.Throws<InvalidOperationException>(() => Render<ReverificationForm>(p => p
            .Add(f => f.DialogContext, context)
            .Add(f => f.EndpointPrefix, prefix)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(JSInterop.Invocations, static i => i.Identifier == "send");
    }

    private sealed class FakeAuthorization(string? header, bool throws = false, bool throwsOnVerified = false) : IReverificationFormAuthorization
    {
        private string? _header = header;

        public List<(int Status, string Body)> Verified { get; } = [];

        public ValueTask<string?> GetAuthorizationAsync(CancellationToken cancellationToken)
            => throws ? throw new InvalidOperationException("refresh failed") : ValueTask.FromResult(_header);

        public ValueTask OnVerifiedAsync(int status, string body, CancellationToken cancellationToken)
        {
            if (throwsOnVerified)
            {
                throw new InvalidOperationException("storage failed");
            }

            Verified.Add((status, body));
            using var json = JsonDocument.Parse(body);
            _header = "Bearer " + json.RootElement.GetProperty("accessToken").GetString();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeReceipts(bool result) : IReverificationReceiptHandler
    {
        public List<string> Applied { get; } = [];

        public Task<bool> ApplyAsync(string receipt, CancellationToken cancellationToken)
        {
            Applied.Add(receipt);
            return Task.FromResult(result);
        }
    }
}
