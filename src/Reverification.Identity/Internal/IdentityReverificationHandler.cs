using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Reverification.AspNetCore;
using Reverification.AspNetCore.Internal;
using Reverification.Shared;

namespace Reverification.Identity.Internal;

/// <summary>
/// The reverification endpoints of one request. Every verification follows one path: per-account attempt limit, body,
/// user, where the result will be recorded, Identity's lockout, the method's check, then counting the failure or
/// resetting the count, and recording.
/// </summary>
internal sealed class IdentityReverificationHandler<TUser>(
    UserManager<TUser> users,
    IServiceProvider services,
    IOptions<IdentityReverificationOptions> options,
    IdentityVerificationClaims verificationClaims,
    ReverificationService reverification,
    ApprovalService approvals,
    AuthenticatorCodeVerifier authenticator,
    AttemptLimiter limiter,
    IdentityReverificationMetrics metrics,
    TimeProvider timeProvider,
    ILogger<IdentityReverificationHandler<TUser>> logger)
    where TUser : class
{
    private const int MaxPasswordLength = 1024;
    private const int MaxRecoveryCodeLength = 64;
    private const int MaxAuthenticatorCodeInput = 16;

    /// <summary>How often a failure is counted again, from a fresh read of the user, after a concurrency failure.</summary>
    private const int CountFailureRetries = 3;

    private readonly IdentityReverificationOptions _options = options.Value;

    public async Task<IResult> GetMethodsAsync(HttpContext context)
    {
        if (users.GetUserId(context.User) is not { } userId)
        {
            return IdentityReverificationProblems.UserNotFound();
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null)
        {
            IdentityReverificationLog.UserNotFound(logger, userId, "methods");
            return IdentityReverificationProblems.UserNotFound();
        }

        var methods = new List<string>(4);
        if (users.SupportsUserPassword && await users.HasPasswordAsync(user).ConfigureAwait(false))
        {
            methods.Add(IdentityReverificationNames.Of(VerificationMethod.Password));
        }

        if (await HasAuthenticatorAsync(user).ConfigureAwait(false))
        {
            methods.Add(IdentityReverificationNames.Of(VerificationMethod.Authenticator));
        }

        var recoveryCodes = await CountRecoveryCodesAsync(user).ConfigureAwait(false);
        if (recoveryCodes > 0)
        {
            methods.Add(IdentityReverificationNames.Of(VerificationMethod.RecoveryCode));
        }

        if (await HasPasskeyAsync(user).ConfigureAwait(false))
        {
            methods.Add(IdentityReverificationNames.Of(VerificationMethod.Passkey));
        }

        var now = reverification.GetUtcNow();
        var times = reverification.ReadTimes(context.User, now);
        return Results.Json(
            new MethodsResponse
            {
                Methods = methods,
                RecoveryCodesLeft = recoveryCodes,
                FirstFactorAgeSeconds = Age(times.Status, times.FirstFactorVerifiedAt, now),
                SecondFactorAgeSeconds = Age(times.Status, times.SecondFactorVerifiedAt, now),
                VerificationData = times.Status switch
                {
                    VerificationClaimsStatus.Found => "found",
                    VerificationClaimsStatus.Missing => "missing",
                    _ => "malformed",
                },
            },
            IdentityReverificationJsonContext.Default.MethodsResponse);
    }

    /// <summary>
    /// <c>GET {prefix}/check?level=strict</c> (or <c>?level=second_factor&amp;afterMinutes=5</c>): <c>204</c> when the
    /// caller's credential satisfies the level now, otherwise the reverification answer, as a protected endpoint gives it.
    /// </summary>
    public Task<IResult> CheckAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["level"] is not [{ Length: > 0 and <= 64 } name])
        {
            return Task.FromResult(IdentityReverificationProblems.InvalidRequest("Name the level in the query: ?level=strict, or ?level=second_factor&afterMinutes=5."));
        }

        ReverificationLevel level;
        if (name is "first_factor" or "second_factor" or "multi_factor")
        {
            if (query["afterMinutes"] is not [{ } text]
                || !double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
                || !(minutes > 0 && minutes <= 366 * 24 * 60))
            {
                return Task.FromResult(IdentityReverificationProblems.InvalidRequest("Give afterMinutes, a number of minutes greater than 0 and at most 527040, with a factors level."));
            }

            level = ReverificationLevel.Create(
                name switch
                {
                    "first_factor" => ReverificationFactors.FirstFactor,
                    "second_factor" => ReverificationFactors.SecondFactor,
                    _ => ReverificationFactors.MultiFactor,
                },
                minutes);
        }
        else
        {
            try
            {
                level = reverification.GetLevel(name);
            }
            catch (ArgumentException)
            {
                return Task.FromResult(IdentityReverificationProblems.InvalidRequest("No level has that name: use a preset (strict_mfa, strict, moderate, lax) or a level the app registered."));
            }
        }

        return Task.FromResult(reverification.Check(context.User, level) == ReverificationOutcome.Passed
            ? Results.NoContent()
            : (IResult)ReverificationResults.Required(level));
    }

    /// <summary>
    /// <c>POST {prefix}/receipt</c>: the verification claims the caller's credential carries now, as a short-lived
    /// data-protected receipt for a Blazor Server circuit of the same user (see <see cref="VerificationReceipts{TUser}"/>).
    /// </summary>
    public async Task<IResult> CreateReceiptAsync(HttpContext context)
    {
        if (users.GetUserId(context.User) is not { } userId || await users.FindByIdAsync(userId).ConfigureAwait(false) is null)
        {
            return IdentityReverificationProblems.UserNotFound();
        }

        var receipts = services.GetRequiredService<VerificationReceipts<TUser>>();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new ReceiptResponse { Receipt = receipts.Create(userId, context.User), ExpiresIn = (long)VerificationReceipts<TUser>.Lifetime.TotalSeconds },
            IdentityReverificationJsonContext.Default.ReceiptResponse);
    }

    public Task<IResult> VerifyPasswordAsync(HttpContext context)
        => VerifyAsync(context, VerificationMethod.Password, IdentityReverificationJsonContext.Default.PasswordRequest, ValidatePassword, CheckPasswordAsync);

    public Task<IResult> VerifyAuthenticatorAsync(HttpContext context)
        => VerifyAsync(context, VerificationMethod.Authenticator, IdentityReverificationJsonContext.Default.CodeRequest, ValidateAuthenticatorCode, CheckAuthenticatorAsync);

    public Task<IResult> VerifyRecoveryCodeAsync(HttpContext context)
        => VerifyAsync(context, VerificationMethod.RecoveryCode, IdentityReverificationJsonContext.Default.CodeRequest, ValidateRecoveryCode, CheckRecoveryCodeAsync);

    public Task<IResult> VerifyPasskeyAsync(HttpContext context)
        => VerifyAsync(context, VerificationMethod.Passkey, IdentityReverificationJsonContext.Default.PasskeyRequest, ValidatePasskey, CheckPasskeyAsync);

    /// <summary>
    /// <c>POST {prefix}/passkey/options</c>: the request options for <c>navigator.credentials.get()</c>, for the
    /// signed-in user's passkeys only; Identity keeps the challenge in its two-factor user id cookie.
    /// </summary>
    public async Task<IResult> GetPasskeyOptionsAsync(HttpContext context)
    {
        if (users.GetUserId(context.User) is not { } userId)
        {
            return IdentityReverificationProblems.UserNotFound();
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null)
        {
            IdentityReverificationLog.UserNotFound(logger, userId, "passkey");
            return IdentityReverificationProblems.UserNotFound();
        }

        if (await LockoutEndAsync(user).ConfigureAwait(false) is { } lockoutEnd)
        {
            return IdentityReverificationProblems.LockedOut(context, lockoutEnd, timeProvider.GetUtcNow());
        }

        if (!await HasPasskeyAsync(user).ConfigureAwait(false))
        {
            IdentityReverificationLog.MethodUnavailable(logger, userId, "passkey");
            return IdentityReverificationProblems.Unavailable(VerificationMethod.Passkey);
        }

        var json = await services.GetRequiredService<SignInManager<TUser>>().MakePasskeyRequestOptionsAsync(user).ConfigureAwait(false);
        return Results.Content(json, "application/json");
    }

    private async Task<IResult> VerifyAsync<TRequest>(
        HttpContext context,
        VerificationMethod method,
        JsonTypeInfo<TRequest> typeInfo,
        Func<TRequest, string?> validate,
        Func<HttpContext, TUser, string, TRequest, Task<VerificationCheck>> check)
        where TRequest : class, IApprovalRequest
    {
        var name = IdentityReverificationNames.Of(method);
        if (users.GetUserId(context.User) is not { } userId)
        {
            return IdentityReverificationProblems.UserNotFound();
        }

        if (limiter.TryAcquire(userId) is { } retryAfter)
        {
            metrics.Attempted(method, AttemptResult.RateLimited);
            IdentityReverificationLog.RateLimited(logger, userId, name);
            return IdentityReverificationProblems.RateLimited(context, retryAfter);
        }

        var (request, problem) = await JsonBody.ReadAsync(context, typeInfo).ConfigureAwait(false);
        if (problem is null && validate(request!) is { } invalid)
        {
            problem = IdentityReverificationProblems.InvalidRequest(invalid);
        }

        if (problem is null && request!.ApprovalId is { } malformedId && !ApprovalIds.IsWellFormed(malformedId))
        {
            problem = IdentityReverificationProblems.InvalidRequest("The field 'approvalId' is not an approval id: give the id from the answer's metadata.approval.id, or leave it out.");
        }

        if (problem is not null)
        {
            IdentityReverificationLog.BadRequest(logger, name, "invalid body");
            return problem;
        }

        // An approval that cannot be approved is refused before a code or a password attempt is spent on it.
        var approvalId = request!.ApprovalId;
        if (approvalId is not null)
        {
            // Approvals are bound to the principal's subject (sub, else name identifier); the factors verified here are
            // those of Identity's user id. A principal on which the two differ would approve one user's approval with
            // another user's factors: refused.
            if (!string.Equals(ApprovalService.SubjectOf(context.User), userId, StringComparison.Ordinal))
            {
                IdentityReverificationLog.BadRequest(logger, name, "approval subject is not the Identity user");
                return IdentityReverificationProblems.ApprovalRefused();
            }

            switch (await approvals.CheckAsync(context.User, approvalId, context.RequestAborted).ConfigureAwait(false))
            {
                case ReverificationApprovalResult.Approved:
                    break;
                case ReverificationApprovalResult.StoreUnavailable:
                    return IdentityReverificationProblems.ApprovalStoreUnavailable();
                default:
                    IdentityReverificationLog.BadRequest(logger, name, "approval refused");
                    return IdentityReverificationProblems.ApprovalRefused();
            }
        }

        var user = await users.FindByIdAsync(userId).ConfigureAwait(false);
        if (user is null)
        {
            IdentityReverificationLog.UserNotFound(logger, userId, name);
            return IdentityReverificationProblems.UserNotFound();
        }

        // Before anything is checked or consumed: a verification that cannot be recorded is not attempted.
        var plan = await PlanRecordingAsync(context, userId, method).ConfigureAwait(false);
        if (plan.Problem is { } cannotRecord)
        {
            return cannotRecord;
        }

        if (await LockoutEndAsync(user).ConfigureAwait(false) is { } lockoutEnd)
        {
            metrics.Attempted(method, AttemptResult.LockedOut);
            IdentityReverificationLog.LockedOut(logger, userId, name, lockoutEnd);
            return IdentityReverificationProblems.LockedOut(context, lockoutEnd, timeProvider.GetUtcNow());
        }

        var result = await check(context, user, userId, request!).ConfigureAwait(false);
        if (result.IsUnavailable)
        {
            IdentityReverificationLog.MethodUnavailable(logger, userId, name);
            return IdentityReverificationProblems.Unavailable(method);
        }

        if (result.Answer is { } answer)
        {
            return answer;
        }

        if (result.Result != AttemptResult.Verified)
        {
            metrics.Attempted(method, result.Result!.Value);
            if (result.Result == AttemptResult.Wrong)
            {
                IdentityReverificationLog.WrongAnswer(logger, userId, name);
            }

            if (await CountFailureAsync(user, userId).ConfigureAwait(false) is { } lockedUntil)
            {
                return IdentityReverificationProblems.LockedOut(context, lockedUntil, timeProvider.GetUtcNow());
            }

            return result.Result == AttemptResult.Replayed ? IdentityReverificationProblems.Replayed() : IdentityReverificationProblems.Wrong(method);
        }

        if (users.SupportsUserLockout && !(await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false)).Succeeded)
        {
            // As SignInManager does: a reset that fails (a concurrent failure was being counted) does not pass, so
            // concurrent guesses cannot clear the count.
            IdentityReverificationLog.ResetConflict(logger, userId, name);
            return IdentityReverificationProblems.Conflict();
        }

        metrics.Attempted(method, AttemptResult.Verified);
        IdentityReverificationLog.Verified(logger, userId, name, result.Factors);
        if (approvalId is not null)
        {
            // Approved with the principal as it was before this verification is recorded: for a multi_factor approval,
            // a first factor recorded since the approval was issued counts beside the second factor verified now.
            switch (await approvals.ApproveAsync(context.User, approvalId, result.Factors, context.RequestAborted).ConfigureAwait(false))
            {
                case ReverificationApprovalResult.Approved:
                    context.Response.Headers[ReverificationProtocol.Approval.StateHeader] = ReverificationProtocol.Approval.Approved;
                    break;
                case ReverificationApprovalResult.InsufficientFactors:
                    // The verification is right and is recorded; the approval waits for the level's other factor.
                    context.Response.Headers[ReverificationProtocol.Approval.StateHeader] = ReverificationProtocol.Approval.Pending;
                    break;
                case ReverificationApprovalResult.StoreUnavailable:
                    return IdentityReverificationProblems.ApprovalStoreUnavailable();
                default:
                    // Taken, expired or approved by a concurrent request since the check: nothing is approved.
                    return IdentityReverificationProblems.ApprovalRefused();
            }
        }

        return await RecordAsync(context, plan, method, user, userId, result.Factors).ConfigureAwait(false);
    }

    private static string? ValidatePassword(PasswordRequest request)
        => string.IsNullOrEmpty(request.Password) ? "Give the password in the field 'password'."
            : request.Password.Length > MaxPasswordLength ? $"The password is longer than {MaxPasswordLength} characters."
            : null;

    private static string? ValidateAuthenticatorCode(CodeRequest request)
        => request.Code is not { Length: > 0 and <= MaxAuthenticatorCodeInput } code
            || !Totp.IsWellFormed(code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal))
            ? "Give the six-digit code of the authenticator app in the field 'code'."
            : null;

    private static string? ValidateRecoveryCode(CodeRequest request)
        => string.IsNullOrWhiteSpace(request.Code) ? "Give a recovery code in the field 'code'."
            : request.Code.Length > MaxRecoveryCodeLength ? $"A recovery code is at most {MaxRecoveryCodeLength} characters."
            : null;

    private static string? ValidatePasskey(PasskeyRequest request)
        => request.Credential.ValueKind != System.Text.Json.JsonValueKind.Object
            ? "Give the credential returned by navigator.credentials.get() as a JSON object in the field 'credential'."
            : null;

    private async Task<VerificationCheck> CheckPasswordAsync(HttpContext context, TUser user, string userId, PasswordRequest request)
    {
        if (!users.SupportsUserPassword || !await users.HasPasswordAsync(user).ConfigureAwait(false))
        {
            return VerificationCheck.Unavailable;
        }

        return await users.CheckPasswordAsync(user, request.Password!).ConfigureAwait(false)
            ? VerificationCheck.Verified(ReverificationFactors.FirstFactor)
            : VerificationCheck.Wrong;
    }

    private async Task<VerificationCheck> CheckAuthenticatorAsync(HttpContext context, TUser user, string userId, CodeRequest request)
    {
        if (!await HasAuthenticatorAsync(user).ConfigureAwait(false))
        {
            return VerificationCheck.Unavailable;
        }

        return await authenticator.VerifyAsync(users, user, request.Code).ConfigureAwait(false) switch
        {
            AuthenticatorCodeResult.Verified => VerificationCheck.Verified(ReverificationFactors.SecondFactor),
            AuthenticatorCodeResult.Replayed => VerificationCheck.Replayed,
            AuthenticatorCodeResult.NotEnrolled => VerificationCheck.Unavailable,
            _ => VerificationCheck.Wrong,
        };
    }

    private async Task<VerificationCheck> CheckRecoveryCodeAsync(HttpContext context, TUser user, string userId, CodeRequest request)
    {
        if (await CountRecoveryCodesAsync(user).ConfigureAwait(false) == 0)
        {
            return VerificationCheck.Unavailable;
        }

        // Identity's templates strip spaces; the code is compared and removed by the store, with the concurrency stamp:
        // of two concurrent redemptions of one code, one fails.
        var code = request.Code!.Replace(" ", string.Empty, StringComparison.Ordinal);
        var redeemed = await users.RedeemTwoFactorRecoveryCodeAsync(user, code).ConfigureAwait(false);
        return redeemed.Succeeded ? VerificationCheck.Verified(ReverificationFactors.SecondFactor) : VerificationCheck.Wrong;
    }

    private async Task<VerificationCheck> CheckPasskeyAsync(HttpContext context, TUser user, string userId, PasskeyRequest request)
    {
        if (!await HasPasskeyAsync(user).ConfigureAwait(false))
        {
            return VerificationCheck.Unavailable;
        }

        if (!PasskeyAuthenticatorData.TryReadUserVerified(request.Credential, out var userVerified))
        {
            return VerificationCheck.Refuse(IdentityReverificationProblems.InvalidRequest(
                "The credential has no readable 'response.authenticatorData' (base64url, given once)."));
        }

        var signIn = services.GetRequiredService<SignInManager<TUser>>();
        PasskeyAssertionResult<TUser> assertion;
        try
        {
            assertion = await signIn.PerformPasskeyAssertionAsync(request.Credential.GetRawText()).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Identity throws when no assertion is underway: no (or an expired) options cookie.
            return VerificationCheck.Refuse(IdentityReverificationProblems.InvalidRequest(
                "No passkey request is underway for this client: POST the passkey options endpoint first, and send its cookie back."));
        }

        if (!assertion.Succeeded)
        {
            IdentityReverificationLog.PasskeyAssertionFailed(logger, userId, assertion.Failure.Message);
            return VerificationCheck.Wrong;
        }

        // The options were made for the signed-in user, so Identity already refuses another user's passkey; checked
        // again here, as the result names the user it found.
        if (!string.Equals(await users.GetUserIdAsync(assertion.User).ConfigureAwait(false), userId, StringComparison.Ordinal))
        {
            IdentityReverificationLog.PasskeyAssertionFailed(logger, userId, "the passkey belongs to another user");
            return VerificationCheck.Wrong;
        }

        // The new sign count, as PasskeySignInAsync stores it: a cloned authenticator's next assertion then fails.
        var updated = await users.AddOrUpdatePasskeyAsync(user, assertion.Passkey).ConfigureAwait(false);
        if (!updated.Succeeded)
        {
            return VerificationCheck.Replayed;
        }

        // User verification (PIN, biometrics) makes the passkey both factors; possession alone is the second.
        return VerificationCheck.Verified(userVerified ? ReverificationFactors.MultiFactor : ReverificationFactors.SecondFactor);
    }

    private async Task<bool> HasAuthenticatorAsync(TUser user)
        => users.SupportsUserTwoFactor
            && users.SupportsUserAuthenticatorKey
            && await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
            && !string.IsNullOrWhiteSpace(await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false));

    private async Task<int> CountRecoveryCodesAsync(TUser user)
        => users.SupportsUserTwoFactorRecoveryCodes
            && users.SupportsUserTwoFactor
            && await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
            ? await users.CountRecoveryCodesAsync(user).ConfigureAwait(false)
            : 0;

    private async Task<bool> HasPasskeyAsync(TUser user)
    {
        if (!users.SupportsUserPasskey
            || services.GetService<IPasskeyHandler<TUser>>() is null
            || services.GetService<SignInManager<TUser>>() is null)
        {
            return false;
        }

        try
        {
            return (await users.GetPasskeysAsync(user).ConfigureAwait(false)).Count > 0;
        }
        catch (InvalidOperationException)
        {
            // An EF Core store on a schema before version 3 has no passkey table.
            return false;
        }
    }

    /// <summary>When the user's lockout ends, if the user is locked out now.</summary>
    private async Task<DateTimeOffset?> LockoutEndAsync(TUser user)
    {
        if (!users.SupportsUserLockout || !await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            return null;
        }

        return await users.GetLockoutEndDateAsync(user).ConfigureAwait(false) ?? DateTimeOffset.MaxValue;
    }

    /// <summary>
    /// Counts a failure with Identity's <c>AccessFailedAsync</c>; on a concurrency failure (another request changed the
    /// user) counts it again from a fresh read, so that concurrent wrong answers are not lost.
    /// </summary>
    /// <returns>When the lockout ends, if the account is locked out now.</returns>
    private async Task<DateTimeOffset?> CountFailureAsync(TUser user, string userId)
    {
        if (!users.SupportsUserLockout)
        {
            return null;
        }

        var result = await users.AccessFailedAsync(user).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return await LockoutEndAsync(user).ConfigureAwait(false);
        }

        for (var retry = 0; retry < CountFailureRetries; retry++)
        {
            var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var fresh = scope.ServiceProvider.GetRequiredService<UserManager<TUser>>();
                var freshUser = await fresh.FindByIdAsync(userId).ConfigureAwait(false);
                if (freshUser is null)
                {
                    return null;
                }

                result = await fresh.AccessFailedAsync(freshUser).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    return await fresh.IsLockedOutAsync(freshUser).ConfigureAwait(false)
                        ? await fresh.GetLockoutEndDateAsync(freshUser).ConfigureAwait(false) ?? DateTimeOffset.MaxValue
                        : null;
                }
            }
        }

        IdentityReverificationLog.AccessFailedNotCounted(logger, userId, string.Join(", ", result.Errors.Select(static e => e.Code)));
        return null;
    }

    private static long? Age(VerificationClaimsStatus status, DateTimeOffset? verifiedAt, DateTimeOffset now)
        => status == VerificationClaimsStatus.Found && verifiedAt is { } at ? Math.Max(0, (long)(now - at).TotalSeconds) : null;

    /// <summary>
    /// Decides how the verification will be recorded, and checks that it can be, before anything is verified or
    /// consumed: the scheme must authenticate this request, as the same user.
    /// </summary>
    private async Task<RecordingPlan> PlanRecordingAsync(HttpContext context, string userId, VerificationMethod method)
    {
        var mode = _options.Recording;
        if (mode == IdentityReverificationRecording.Automatic)
        {
            mode = _options.IssueToken is not null ? IdentityReverificationRecording.Custom
                : HasBearerHeader(context) && await services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(_options.BearerScheme).ConfigureAwait(false) is not null
                    ? IdentityReverificationRecording.BearerToken
                : IdentityReverificationRecording.Cookie;
        }

        if (mode == IdentityReverificationRecording.Custom)
        {
            return new RecordingPlan(mode, null, null, null);
        }

        var scheme = mode == IdentityReverificationRecording.Cookie ? _options.CookieScheme : _options.BearerScheme;

        // The ticket or token is written by Identity's sign-in, as a sign-in writes it, so that the times are bound to the
        // security stamp (AddIdentityReverification registers ReverificationSignInManager; the start-up check refuses any
        // other SignInManager).
        if (services.GetService<SignInManager<TUser>>() is not ReverificationSignInManager<TUser> signIn)
        {
            return CannotRecord(method, $"No SignInManager<{typeof(TUser).Name}> is registered, so the {(mode == IdentityReverificationRecording.Cookie ? "cookie" : "token")} cannot be refreshed. Call AddSignInManager (AddIdentity and AddIdentityApiEndpoints do), or set IdentityReverificationOptions.IssueToken for the app's own tokens.");
        }

        var handlers = services.GetRequiredService<IAuthenticationHandlerProvider>();
        var handler = await handlers.GetHandlerAsync(context, scheme).ConfigureAwait(false);
        if (handler is null)
        {
            return CannotRecord(method, $"No authentication scheme is named '{scheme}'. Set IdentityReverificationOptions.{(mode == IdentityReverificationRecording.Cookie ? "CookieScheme" : "BearerScheme")}, or IssueToken for the app's own tokens.");
        }

        // The handler's own result: the ticket as the credential carries it, without the app's claims transformation.
        var result = await handler.AuthenticateAsync().ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return CannotRecord(method, $"This request is not authenticated with the '{scheme}' scheme, so its {(mode == IdentityReverificationRecording.Cookie ? "cookie" : "token")} cannot be refreshed. Apps that issue their own tokens set IdentityReverificationOptions.IssueToken.");
        }

        if (!string.Equals(users.GetUserId(result.Principal), userId, StringComparison.Ordinal))
        {
            return CannotRecord(method, $"The '{scheme}' credential of this request is another user's than the signed-in user's.");
        }

        return new RecordingPlan(mode, scheme, signIn, null);
    }

    private RecordingPlan CannotRecord(VerificationMethod method, string detail)
    {
        IdentityReverificationLog.CannotRecord(logger, IdentityReverificationNames.Of(method), detail);
        return new RecordingPlan(IdentityReverificationRecording.Custom, null, null, IdentityReverificationProblems.CannotRecord(detail));
    }

    private static bool HasBearerHeader(HttpContext context)
        => context.Request.Headers[HeaderNames.Authorization].ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Records the verification as a sign-in records its factors: the verified factors now, the other carried over while
    /// the times are bound to the user's current security stamp (present but stale otherwise), a second factor always
    /// present for an account that has one, and the stamp claim for the stamp now.
    /// </summary>
    private async Task<IResult> RecordAsync(HttpContext context, RecordingPlan plan, VerificationMethod method, TUser user, string userId, ReverificationFactors factors)
    {
        if (plan.Mode == IdentityReverificationRecording.Custom)
        {
            var claims = await verificationClaims.CreateAsync(users, user, factors, context.User).ConfigureAwait(false);
            return await _options.IssueToken!(new IdentityReverificationTokenContext(context, userId, factors, claims)).ConfigureAwait(false);
        }

        // Identity's sign-in writes the new cookie, or (bearer) the new token pair as the answer, as /login does.
        var signIn = plan.SignIn!;
        signIn.AuthenticationScheme = plan.Scheme!;
        if (!await signIn.RecordVerificationAsync(user, factors).ConfigureAwait(false))
        {
            IdentityReverificationLog.CannotRecord(logger, IdentityReverificationNames.Of(method), "the credential changed during the request");
            return IdentityReverificationProblems.CannotRecord("The credential of this request could not be refreshed.");
        }

        return plan.Mode == IdentityReverificationRecording.Cookie ? Results.NoContent() : Results.Empty;
    }

    /// <summary>How the verification will be recorded; <see cref="Problem"/> when it cannot be.</summary>
    private sealed record RecordingPlan(IdentityReverificationRecording Mode, string? Scheme, ReverificationSignInManager<TUser>? SignIn, IResult? Problem);
}
