using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Reverification.Blazor.Internal;
using Reverification.Shared;

namespace Reverification.Blazor;

/// <summary>
/// A ready verification form for <see cref="ReverificationDialog"/>, driven by the endpoints of
/// <c>Reverification.Identity</c> (<c>MapReverificationEndpoints</c>): it shows the methods the account has, asks for
/// what the level needs, shows the endpoint's errors in the dialog's alert region, and completes the waiting call.
/// </summary>
/// <remarks>
/// <para>
/// Put it in the dialog: <c>&lt;ReverificationDialog&gt;&lt;ReverificationForm DialogContext="context" /&gt;&lt;/ReverificationDialog&gt;</c>.
/// It reads <c>GET {EndpointPrefix}/methods</c>, then asks for the first factor (the password, or a passkey that
/// verifies the user), the second factor (an authenticator code, a recovery code, or a passkey), or one then the other,
/// as the challenge needs and the account has; an account without a second factor gives its password. A factor the
/// credential already carries fresh enough is not asked again. After each verification it reads the methods again and
/// completes the dialog when nothing is left to ask. With a one-time approval the endpoint's
/// <c>Reverification-Approval-State</c> decides: <c>approved</c> completes; <c>pending</c> (a passkey without user
/// verification on a <c>strict_mfa</c> approval, say) keeps the dialog open, says why, and asks for what can still
/// approve it.
/// </para>
/// <para>
/// <b>Transport.</b> The requests go through the browser's <c>fetch</c> (JavaScript interop,
/// <c>credentials: 'same-origin'</c>): they carry the browser's cookies, and the refreshed cookie the endpoint answers
/// reaches the browser, in Blazor Server and WebAssembly alike. Apps on bearer tokens register an
/// <see cref="IReverificationFormAuthorization"/>: the requests then carry its <c>Authorization</c> header and no
/// cookies, and it receives the new token. <see cref="EndpointPrefix"/> is app-relative (resolved against the document's
/// base URI), or, for a bearer app only, an absolute <c>https</c> URL; anything else is refused.
/// </para>
/// <para>
/// <b>Accessibility and hooks.</b> Labelled fields (<c>autocomplete="current-password"</c>,
/// <c>autocomplete="one-time-code"</c> with <c>inputmode="numeric"</c>); focus moves to the field when the form is
/// ready and when the next field appears; errors go to the dialog's <c>role="alert"</c> region. Stable ids and
/// <c>data-testid</c>s: <c>reverification-form</c> (with <c>data-step</c>: <c>loading</c>, <c>first_factor</c>,
/// <c>second_factor</c>, <c>done</c>, <c>none</c>), <c>reverification-notice</c> (a <c>role="status"</c> live region:
/// why the form asks again after a verification that succeeded), <c>reverification-password</c>, <c>reverification-code</c>,
/// <c>reverification-recovery-code</c>, <c>reverification-submit</c>, <c>reverification-passkey</c>,
/// <c>reverification-use-recovery-code</c>, <c>reverification-use-authenticator</c>, <c>reverification-retry</c>.
/// </para>
/// </remarks>
public sealed partial class ReverificationForm
{
    /// <summary>The password field's id: <c>reverification-password</c>.</summary>
    public const string PasswordId = "reverification-password";

    /// <summary>The authenticator code field's id: <c>reverification-code</c>.</summary>
    public const string CodeId = "reverification-code";

    /// <summary>The recovery code field's id: <c>reverification-recovery-code</c>.</summary>
    public const string RecoveryCodeId = "reverification-recovery-code";

    private const string VerifyText = "Verify";

    private FormScript? _script;
    private AccountMethods? _account;
    private VerificationStep _step;
    private bool _useRecoveryCode;
    private bool _busy;
    private bool _loadFailed;
    private bool _completed;

    // What this dialog verified: with a one-time approval, the ages do not count and each factor is asked once here.
    private bool _firstDone;
    private bool _secondDone;
    private bool _focusPending;

    // With an approval the server said is still pending: the step that can still approve it (overrides the plan).
    private VerificationStep? _approvalStep;

    // Why the form asks again after a verification that succeeded (a passkey without user verification, an approval
    // still pending): shown in the form's polite live region.
    private string? _notice;
    private string? _password;
    private string? _code;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    // Apps on bearer tokens: the header's source, and the origin of an absolute EndpointPrefix (null: app-relative).
    private IReverificationFormAuthorization? _authorization;
    private string? _endpointOrigin;

    // Whether the endpoints are on another origin than the page's (an absolute EndpointPrefix): set with the origin.
    private bool _crossOrigin;

    /// <summary>The open request, given by <see cref="ReverificationDialog"/> to its content (<c>context</c>). Required.</summary>
    [Parameter]
    [EditorRequired]
    public ReverificationDialogContext DialogContext { get; set; } = default!;

    /// <summary>
    /// Where the Identity endpoints are mapped, app-relative: the <c>prefix</c> given to
    /// <c>MapReverificationEndpoints</c>. Default: <c>/reverify</c>.
    /// </summary>
    /// <remarks>
    /// An app on bearer tokens (<see cref="IReverificationFormAuthorization"/> registered) whose endpoints are on another
    /// origin gives their absolute URL, such as <c>https://api.example.com/reverify</c>: <c>https</c> (<c>http</c> only
    /// for a loopback host, from a page on a loopback host), without user name, query or fragment. The token is sent to that origin and the page's own,
    /// never elsewhere. A cookie app's form calls its own site only: an absolute URL is refused.
    /// </remarks>
    [Parameter]
    public string EndpointPrefix { get; set; } = "/reverify";

    private string StepName => _account is null
        ? "loading"
        : _step switch
        {
            VerificationStep.FirstFactor when _account.Has(AccountMethods.Password) || PasskeyUsable => "first_factor",
            VerificationStep.SecondFactor when HasSecondFactorMethod => "second_factor",
            VerificationStep.Done => "done",
            _ => "none",
        };

    private bool HasSecondFactorMethod
        => _account is not null && (_account.HasSecondFactor || PasskeyUsable);

    // The account has a passkey, and this form can use it (not on an endpoint of another origin: see ShowsPasskey).
    private bool PasskeyUsable => _account is not null && _account.Has(AccountMethods.Passkey) && !_crossOrigin;

    private bool ShowsField => _step switch
    {
        VerificationStep.FirstFactor => _account!.Has(AccountMethods.Password),
        VerificationStep.SecondFactor => _account!.HasSecondFactor,
        _ => false,
    };

    // A passkey verifies the second factor, and the first too when the authenticator verifies the user.
    // Identity keeps the passkey challenge in a cookie of the endpoints' origin, which a cross-origin fetch without
    // credentials neither stores nor sends: no passkey there.
    private bool ShowsPasskey => _step is VerificationStep.FirstFactor or VerificationStep.SecondFactor && PasskeyUsable;

    /// <inheritdoc/>
    protected override void OnParametersSet()
    {
        if (DialogContext is null)
        {
            throw new InvalidOperationException(
                "ReverificationForm needs the dialog's context: <ReverificationDialog><ReverificationForm DialogContext=\"context\" /></ReverificationDialog>.");
        }

        if (string.IsNullOrEmpty(EndpointPrefix))
        {
            throw new InvalidOperationException("ReverificationForm.EndpointPrefix must be the app-relative path of MapReverificationEndpoints, such as \"/reverify\".");
        }

        _authorization = Services.GetService(typeof(IReverificationFormAuthorization)) as IReverificationFormAuthorization;
        // http to a loopback host only from a page on a loopback host (development): a production page with a
        // leftover http://localhost prefix would send each user's token to whatever listens on their own machine.
        var page = new Uri(Navigation.BaseUri);
        _endpointOrigin = EndpointOrigin(EndpointPrefix, bearer: _authorization is not null, pageIsLoopback: page.IsLoopback);
        _crossOrigin = _endpointOrigin is not null && !string.Equals(_endpointOrigin, EndpointOrigins.OriginOf(page), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The origin of an absolute <paramref name="prefix"/>, which only an app on bearer tokens may give;
    /// <see langword="null"/> for an app-relative path. Throws with what to change for anything else.
    /// </summary>
    internal static string? EndpointOrigin(string prefix, bool bearer, bool pageIsLoopback = false)
        => EndpointOrigins.Of(nameof(ReverificationForm), prefix, bearer, pageIsLoopback);

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // Only an interactive render gets here: the endpoints are called from the browser.
            _script = new FormScript(JS);
            await LoadAsync().ConfigureAwait(true);
            return;
        }

        if (_focusPending && _script is not null)
        {
            _focusPending = false;
            if (FocusTarget is { } id)
            {
                await _script.FocusAsync(id).ConfigureAwait(true);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_script is not null)
        {
            await _script.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string? FocusTarget => _step switch
    {
        VerificationStep.FirstFactor when _account!.Has(AccountMethods.Password) => PasswordId,
        VerificationStep.SecondFactor when _useRecoveryCode => RecoveryCodeId,
        VerificationStep.SecondFactor when _account!.Has(AccountMethods.Authenticator) => CodeId,
        _ => null,
    };

    private async Task LoadAsync()
    {
        if (_script is null || DialogContext.IsClosed)
        {
            return;
        }

        _busy = true;
        _loadFailed = false;
        StateHasChanged();
        try
        {
            var response = await SendAsync("GET", "/methods", body: null).ConfigureAwait(true);
            if (response is null)
            {
                _loadFailed = !DialogContext.IsClosed; // No token: the error is shown, with a retry.
                return;
            }

            if (response.Status == 200 && AccountMethods.TryParse(response.Body) is { } account)
            {
                await ApplyAsync(account).ConfigureAwait(true);
            }
            else
            {
                _loadFailed = true;
                DialogContext.SetError(DescribeFailure(response, VerificationMethodKind.None));
            }
        }
        finally
        {
            _busy = false;
            StateHasChanged();
        }
    }

    /// <summary>Applies what the methods endpoint says: the next step, or completion when the level is satisfied.</summary>
    private async Task ApplyAsync(AccountMethods account)
    {
        var previous = _step;
        _account = account;
        _step = _approvalStep ?? VerificationPlan.Next(DialogContext.Challenge, account, _firstDone, _secondDone);
        if (_step == VerificationStep.Done)
        {
            if (await ApplyReceiptAsync().ConfigureAwait(true))
            {
                _completed = true;
                DialogContext.Complete();
            }

            return;
        }

        if (_step != previous)
        {
            _password = null;
            _code = null;
            _useRecoveryCode = _step == VerificationStep.SecondFactor && !account.Has(AccountMethods.Authenticator) && account.Has(AccountMethods.RecoveryCode);
        }

        if (StepName == "none")
        {
            DialogContext.SetError(account.Has(AccountMethods.Passkey) && _crossOrigin
                ? (_step == VerificationStep.FirstFactor
                    ? "Your account confirms it's you with a passkey, which this app cannot use here (its sign-in service is on another site). Add a password to your account, or confirm it on that site."
                    : "Your account's second factor is a passkey, which this app cannot use here (its sign-in service is on another site). Add an authenticator app to your account, or confirm it on that site.")
                : _step == VerificationStep.FirstFactor
                    ? "Your account has no password or passkey to confirm it's you with."
                    : "Your account has no second factor or passkey to confirm it's you with.");
            return;
        }

        _focusPending = true;
    }

    /// <summary>
    /// Where the app keeps the user's state outside the cookie (a Blazor Server circuit), applies the receipt of what the
    /// cookie now records; <see langword="false"/> (with the error shown) when that failed.
    /// </summary>
    private async Task<bool> ApplyReceiptAsync()
    {
        if (Services.GetService(typeof(IReverificationReceiptHandler)) is not IReverificationReceiptHandler receipts)
        {
            return true;
        }

        var response = await SendAsync("POST", "/receipt", "{}").ConfigureAwait(true);
        if (response is null)
        {
            return false;
        }

        if (response.Status != 200 || ReadReceipt(response.Body) is not { } receipt)
        {
            DialogContext.SetError(DescribeFailure(response, VerificationMethodKind.None));
            return false;
        }

        bool applied;
        try
        {
            applied = await receipts.ApplyAsync(receipt, DialogContext.Closed).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (!applied)
        {
            DialogContext.SetError("Your verification was recorded, but this page could not take it into account. Reload the page.");
        }

        return applied;
    }

    internal static string? ReadReceipt(string? json)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? string.Empty);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("receipt", out var receipt)
                && receipt.ValueKind == JsonValueKind.String
                ? receipt.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void UseRecoveryCode()
    {
        _useRecoveryCode = true;
        _code = null;
        _focusPending = true;
    }

    private void UseAuthenticator()
    {
        _useRecoveryCode = false;
        _code = null;
        _focusPending = true;
    }

    private async Task SubmitAsync()
    {
        if (_busy || _account is null || _completed)
        {
            return;
        }

        switch (_step)
        {
            case VerificationStep.FirstFactor when _account.Has(AccountMethods.Password):
                if (string.IsNullOrEmpty(_password))
                {
                    DialogContext.SetError("Enter your password.");
                    _focusPending = true;
                    return;
                }

                await VerifyAsync(VerificationMethodKind.Password, "/password", Json("password", _password, ApprovalId)).ConfigureAwait(true);
                break;
            case VerificationStep.SecondFactor when _useRecoveryCode:
                if (string.IsNullOrWhiteSpace(_code))
                {
                    DialogContext.SetError("Enter one of your recovery codes.");
                    _focusPending = true;
                    return;
                }

                await VerifyAsync(VerificationMethodKind.RecoveryCode, "/recovery-code", Json("code", _code.Trim(), ApprovalId)).ConfigureAwait(true);
                break;
            case VerificationStep.SecondFactor when _account.Has(AccountMethods.Authenticator):
                var code = (_code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
                if (code.Length != 6 || !code.All(char.IsAsciiDigit))
                {
                    DialogContext.SetError("Enter the 6\u2011digit code from your authenticator app.");
                    _focusPending = true;
                    return;
                }

                await VerifyAsync(VerificationMethodKind.Authenticator, "/authenticator", Json("code", code, ApprovalId)).ConfigureAwait(true);
                break;
        }
    }

    private async Task UsePasskeyAsync()
    {
        if (_busy || _account is null || _completed || _script is null)
        {
            return;
        }

        _busy = true;
        DialogContext.SetError(null);
        try
        {
            var options = await SendAsync("POST", "/passkey/options", body: null).ConfigureAwait(true);
            if (options is null)
            {
                return;
            }

            if (options.Status != 200 || string.IsNullOrEmpty(options.Body))
            {
                DialogContext.SetError(DescribeFailure(options, VerificationMethodKind.Passkey));
                return;
            }

            PasskeyCeremony ceremony;
            try
            {
                ceremony = await _script.GetPasskeyAsync(options.Body, DialogContext.Closed).ConfigureAwait(true);
            }
            catch (JSException)
            {
                ceremony = new PasskeyCeremony(null, "failed");
            }
            catch (OperationCanceledException)
            {
                return; // The dialog closed meanwhile.
            }

            if (ceremony.Credential is not { } credential || !IsJsonObject(credential))
            {
                DialogContext.SetError(ceremony.Error switch
                {
                    "cancelled" => "The passkey prompt was cancelled or timed out. Try again, or use another way.",
                    "unsupported" => "This browser cannot use passkeys. Use another way to confirm it's you.",
                    _ => "The passkey could not be used. Try again, or use another way.",
                });
                return;
            }

            _busy = false;
            var approval = ApprovalId is { } id ? Json("approvalId", id, approvalId: null)[1..^1] + "," : string.Empty;
            await VerifyAsync(VerificationMethodKind.Passkey, "/passkey", "{" + approval + "\"credential\":" + credential + "}").ConfigureAwait(true);
        }
        finally
        {
            _busy = false;
            StateHasChanged();
        }
    }

    private async Task VerifyAsync(VerificationMethodKind method, string path, string body)
    {
        _busy = true;
        _notice = null;
        DialogContext.SetError(null);
        StateHasChanged();
        try
        {
            var response = await SendAsync("POST", path, body).ConfigureAwait(true);
            if (response is null)
            {
                return;
            }

            if (response.Status is < 200 or > 299)
            {
                DialogContext.SetError(DescribeFailure(response, method));
                if (method != VerificationMethodKind.Passkey)
                {
                    _code = null;
                    _focusPending = true;
                }

                return;
            }

            // An app on bearer tokens stores the new token the answer carries before anything else is sent.
            if (_authorization is not null && !await StoreTokenAsync(response).ConfigureAwait(true))
            {
                return;
            }

            // Recorded (and, with an approval id, counted toward the approval): read the methods again (with the
            // refreshed cookie) to see what is left to ask. A passkey may count as both factors; the server decides,
            // and with an approval says whether it is approved (an endpoint that does not say leaves it to the plan).
            var secondFactor = method != VerificationMethodKind.Password;
            var approvalState = ApprovalId is null ? null : response.ApprovalState;
            switch (approvalState)
            {
                case ReverificationProtocol.Approval.Approved:
                    _approvalStep = null;
                    _firstDone = _secondDone = true;
                    break;
                case ReverificationProtocol.Approval.Pending:
                    _approvalStep = VerificationPlan.AfterPendingApproval(secondFactor);
                    _firstDone = !secondFactor;
                    _secondDone = false;
                    break;
                default:
                    _approvalStep = null;
                    _firstDone |= method is VerificationMethodKind.Password or VerificationMethodKind.Passkey;
                    _secondDone |= secondFactor;
                    break;
            }

            _password = null;
            _code = null;
            var methods = await SendAsync("GET", "/methods", body: null).ConfigureAwait(true);
            if (methods is null)
            {
                return;
            }

            if (methods.Status == 200 && AccountMethods.TryParse(methods.Body) is { } account)
            {
                await ApplyAsync(account).ConfigureAwait(true);
                if (!_completed)
                {
                    _notice = DescribeShortfall(method, approvalState, account);
                }
            }
            else
            {
                DialogContext.SetError(DescribeFailure(methods, VerificationMethodKind.None));
            }
        }
        finally
        {
            _busy = false;
            StateHasChanged();
        }
    }

    /// <summary>Gives the answer of a successful verification to the app; <see langword="false"/> (error shown) when it failed.</summary>
    private async Task<bool> StoreTokenAsync(EndpointResponse response)
    {
        try
        {
            await _authorization!.OnVerifiedAsync(response.Status, response.Body ?? string.Empty, DialogContext.Closed).ConfigureAwait(true);
            return !DialogContext.IsClosed;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DialogContext.SetError("Your verification was recorded, but this app could not keep its new sign-in token. Try again.");
            return false;
        }
    }

    /// <summary>
    /// The request options for an app on bearer tokens (<see langword="null"/> for a cookie app): the header from
    /// <see cref="IReverificationFormAuthorization"/>, asked for each request; <see langword="null"/> with the error
    /// shown when it cannot be had.
    /// </summary>
    private async Task<(bool Ok, EndpointRequestOptions? Options)> RequestOptionsAsync(string path)
    {
        if (_authorization is null)
        {
            return (true, null);
        }

        string? header;
        try
        {
            header = await EndpointOrigins.AuthorizationHeaderAsync(_authorization, DialogContext.Closed).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            return (false, null);
        }
        catch (InvalidOperationException)
        {
            DialogContext.SetError(EndpointOrigins.TokenNotRenewed);
            return (false, null);
        }

        // Identity keeps a passkey request's challenge in its cookie between the options and the assertion.
        var credentials = path.StartsWith("/passkey", StringComparison.Ordinal) ? "same-origin" : "omit";
        return (true, new EndpointRequestOptions(header, credentials, _endpointOrigin));
    }

    /// <summary>
    /// Sends through the browser; <see langword="null"/> when the dialog closed meanwhile or no token could be had (the
    /// error is then shown).
    /// </summary>
    private async Task<EndpointResponse?> SendAsync(string method, string path, string? body)
    {
        var (ok, options) = await RequestOptionsAsync(path).ConfigureAwait(true);
        if (!ok || DialogContext.IsClosed)
        {
            return null;
        }

        try
        {
            var response = await _script!.SendAsync(method, EndpointPrefix.TrimEnd('/') + path, body, options, DialogContext.Closed).ConfigureAwait(true);
            return DialogContext.IsClosed ? null : response;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
        catch (JSException)
        {
            return new EndpointResponse(0, null);
        }
    }

    private string DescribeFailure(EndpointResponse response, VerificationMethodKind method)
    {
        if (response.Status == 0)
        {
            return "The server could not be reached. Check your connection and try again.";
        }

        var problem = EndpointProblem.Parse(response.Body);
        return problem.Reason switch
        {
            "wrong" => method switch
            {
                VerificationMethodKind.Password => "That password is not correct.",
                VerificationMethodKind.Authenticator => "That code is not correct. Check your authenticator app and try again.",
                VerificationMethodKind.RecoveryCode => "That recovery code is not correct or was already used.",
                _ => "The passkey could not be verified.",
            },
            "replayed" => "That code was already used. Wait for the next code from your authenticator app.",
            "locked_out" => DescribeLockout(problem.LockoutEnd),
            "rate_limited" => "Too many attempts. Wait a minute, then try again.",
            "user_not_found" => "Your account could not be found. Sign in again.",
            "conflict" => "Your account changed meanwhile. Try again.",
            _ when response.Status == 401 => "You are signed out. Sign in again.",
            _ when !string.IsNullOrEmpty(problem.Detail) => problem.Detail,
            _ => string.Create(CultureInfo.InvariantCulture, $"The verification failed (HTTP {response.Status}). Try again."),
        };
    }

    /// <summary>
    /// Why a verification that succeeded did not finish: the approval is still pending, or a passkey did not verify the
    /// user; <see langword="null"/> when the next step is the expected one (the code after the password).
    /// </summary>
    private string? DescribeShortfall(VerificationMethodKind method, string? approvalState, AccountMethods account)
    {
        var firstFactorNext = _step == VerificationStep.FirstFactor;
        if (approvalState != ReverificationProtocol.Approval.Pending)
        {
            // Without an approval the ages decide: a passkey asked for again at the first step did not verify the user.
            return method == VerificationMethodKind.Passkey && firstFactorNext ? PasskeyWithoutUserVerification(account) : null;
        }

        if (method == VerificationMethodKind.Password)
        {
            // The password, then the code, is the expected way through a strict_mfa approval: nothing to explain.
            return VerificationPlan.Next(DialogContext.Challenge, account, firstDone: true, secondDone: false) == VerificationStep.SecondFactor
                ? null
                : "Your password is confirmed, but approving this also needs your second factor.";
        }

        if (method == VerificationMethodKind.Passkey)
        {
            return PasskeyWithoutUserVerification(account);
        }

        var what = method == VerificationMethodKind.RecoveryCode ? "That recovery code" : "That code";
        return what + " was accepted, but it does not approve this on its own. " + FirstFactorThenAgain(account);
    }

    private string PasskeyWithoutUserVerification(AccountMethods account)
        => "This passkey did not confirm it's you (no PIN or biometric), so it counts only as something you have. " + FirstFactorThenAgain(account);

    /// <summary>What to do for the first factor, and (with a multi-factor approval) the second once more after it.</summary>
    private string FirstFactorThenAgain(AccountMethods account)
    {
        var again = _approvalStep is not null && DialogContext.Challenge.Factors == ReverificationFactors.MultiFactor;
        return account.Has(AccountMethods.Password)
            ? again ? "Enter your password, then confirm with your second factor once more." : "Enter your password to continue."
            : "Use a passkey that asks for your PIN or biometric.";
    }

    private string DescribeLockout(DateTimeOffset? lockoutEnd)
    {
        const string Locked = "Too many failed attempts: your account is locked.";
        if (lockoutEnd is not { } end)
        {
            return Locked + " Try again later.";
        }

        var now = (Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetUtcNow();
        var minutes = Math.Max(1, (int)Math.Ceiling((end - now).TotalMinutes));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Locked} Try again after {end.UtcDateTime:HH:mm} UTC (in {minutes} minute{(minutes == 1 ? string.Empty : "s")}).");
    }

    /// <summary>The one-time approval's id, sent with each verification so that it approves the operation.</summary>
    private string? ApprovalId => DialogContext.Approval?.Id;

    private static string Json(string name, string value, string? approvalId)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString(name, value);
            if (approvalId is not null)
            {
                writer.WriteString("approvalId", approvalId);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private enum VerificationMethodKind
    {
        None,
        Password,
        Authenticator,
        RecoveryCode,
        Passkey,
    }
}
