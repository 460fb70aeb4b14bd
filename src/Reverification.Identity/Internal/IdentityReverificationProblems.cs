using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Reverification.Identity.Internal;

/// <summary>
/// The endpoints' error answers: RFC 9457 problem details whose <c>reason</c> extension names the case for clients
/// (<c>invalid_request</c>, <c>wrong</c>, <c>replayed</c>, <c>locked_out</c>, <c>rate_limited</c>,
/// <c>method_unavailable</c>, <c>user_not_found</c>, <c>conflict</c>, <c>cannot_record</c>).
/// </summary>
internal static class IdentityReverificationProblems
{
    public static IResult InvalidRequest(string detail, int statusCode = StatusCodes.Status400BadRequest)
        => Problem(statusCode, "The request is not valid.", detail, "invalid_request");

    public static IResult Wrong(VerificationMethod method) => Problem(
        StatusCodes.Status400BadRequest,
        "Verification failed.",
        method switch
        {
            VerificationMethod.Password => "The password is not correct.",
            VerificationMethod.Authenticator => "The code is not correct.",
            VerificationMethod.RecoveryCode => "The recovery code is not correct or was already used.",
            _ => "The passkey could not be verified.",
        },
        "wrong");

    public static IResult Replayed() => Problem(
        StatusCodes.Status400BadRequest,
        "Verification failed.",
        "This code was already used. Wait for the next code from the authenticator app.",
        "replayed");

    public static IResult Unavailable(VerificationMethod method) => Problem(
        StatusCodes.Status400BadRequest,
        "This method is not available for the account.",
        $"The account has no {IdentityReverificationNames.Of(method).Replace('_', ' ')} to verify with; GET the methods endpoint to see which it has.",
        "method_unavailable");

    public static IResult UserNotFound() => Problem(
        StatusCodes.Status401Unauthorized,
        "The signed-in account no longer exists.",
        "Sign in again.",
        "user_not_found");

    public static IResult Conflict() => Problem(
        StatusCodes.Status409Conflict,
        "The account changed during the verification.",
        "Try again.",
        "conflict");

    public static IResult ApprovalRefused() => Problem(
        StatusCodes.Status400BadRequest,
        "The approval cannot be approved.",
        "No pending approval of the signed-in user has this approvalId: it is unknown, expired, already approved or used, or another user's. Send the request again to get a new approval.",
        "approval_refused");

    public static IResult ApprovalStoreUnavailable() => Problem(
        StatusCodes.Status503ServiceUnavailable,
        "Approvals are unavailable.",
        "The approval store cannot be reached; nothing was verified or approved. Try again later.",
        "approval_unavailable");

    public static IResult CannotRecord(string detail) => Problem(
        StatusCodes.Status400BadRequest,
        "The verification cannot be recorded for this request.",
        detail,
        "cannot_record");

    public static IResult LockedOut(HttpContext context, DateTimeOffset lockoutEnd, DateTimeOffset now)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = "locked_out" };
        // DateTimeOffset.MaxValue is how an administrator locks an account for good: no time to retry at.
        if (lockoutEnd < now.AddYears(1))
        {
            SetRetryAfter(context, lockoutEnd - now);
            extensions["lockoutEnd"] = lockoutEnd.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        return Results.Problem(
            "Too many failed attempts: the account is locked out. Try again after the time in Retry-After.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "The account is locked out.",
            extensions: extensions);
    }

    public static IResult RateLimited(HttpContext context, TimeSpan retryAfter)
    {
        SetRetryAfter(context, retryAfter);
        return Problem(
            StatusCodes.Status429TooManyRequests,
            "Too many verification attempts.",
            "Try again after the time in Retry-After.",
            "rate_limited");
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
    }

    private static IResult Problem(int statusCode, string title, string detail, string reason)
        => Results.Problem(detail, statusCode: statusCode, title: title, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
