using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Reverification.Identity.Internal;

/// <summary>
/// Checks authenticator codes once: RFC 6238 with a window of the current step plus or minus one, and the last used
/// step kept in the Identity store, so that a step is accepted at most once per user, by sign-in and reverification
/// alike, on every instance that shares the store.
/// </summary>
/// <remarks>
/// The last used step is an authentication token of the user (<see cref="LoginProvider"/>, <see cref="LastStepName"/>)
/// written with <see cref="UserManager{TUser}.SetAuthenticationTokenAsync"/>, which updates the user with its
/// concurrency stamp: of two requests that loaded the user before either wrote, one write fails with
/// <c>ConcurrencyFailure</c>, and that request is refused. A request that loads the user after the other wrote reads
/// the new step. The user is loaded before the step is read, so one of the two always holds.
/// </remarks>
internal sealed class AuthenticatorCodeVerifier(TimeProvider timeProvider, ILogger<AuthenticatorCodeVerifier> logger)
{
    /// <summary>The login provider of the authentication token that holds the last used step.</summary>
    public const string LoginProvider = "[Reverification]";

    /// <summary>The name of the authentication token that holds the last used step.</summary>
    public const string LastStepName = "LastTotpStep";

    /// <summary>Steps accepted on each side of the current one.</summary>
    public const int Window = 1;

    public async Task<AuthenticatorCodeResult> VerifyAsync<TUser>(UserManager<TUser> manager, TUser user, string? code)
        where TUser : class
    {
        var key = Totp.DecodeKey(await manager.GetAuthenticatorKeyAsync(user).ConfigureAwait(false));
        if (key is null)
        {
            return AuthenticatorCodeResult.NotEnrolled;
        }

        List<long> matches;
        try
        {
            matches = Totp.MatchingSteps(key, Normalize(code), Totp.StepAt(timeProvider.GetUtcNow()), Window);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (matches.Count == 0)
        {
            return AuthenticatorCodeResult.Wrong;
        }

        var userId = await manager.GetUserIdAsync(user).ConfigureAwait(false);
        var last = await ReadLastStepAsync(manager, user, userId).ConfigureAwait(false);
        long? step = null;
        foreach (var match in matches)
        {
            if (last is null || match > last)
            {
                step = match;
                break;
            }
        }

        if (step is null)
        {
            IdentityReverificationLog.CodeReplayed(logger, userId);
            return AuthenticatorCodeResult.Replayed;
        }

        IdentityResult written;
        try
        {
            written = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepName, step.Value.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail closed: a step that could not be recorded as used is never accepted.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // For example a unique-key violation when two requests insert the user's first step at the same moment.
            IdentityReverificationLog.StepNotRecorded(logger, userId, ex.GetType().Name);
            return AuthenticatorCodeResult.Replayed;
        }

        if (!written.Succeeded)
        {
            IdentityReverificationLog.StepNotRecorded(logger, userId, string.Join(", ", written.Errors.Select(static e => e.Code)));
            return AuthenticatorCodeResult.Replayed;
        }

        return AuthenticatorCodeResult.Verified;
    }

    /// <summary>Authenticator apps show codes as "123 456"; Identity's templates strip spaces and hyphens too.</summary>
    private static string Normalize(string? code)
        => code is null ? string.Empty : code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);

    private async Task<long?> ReadLastStepAsync<TUser>(UserManager<TUser> manager, TUser user, string userId)
        where TUser : class
    {
        var value = await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepName).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
        {
            return step;
        }

        // Only this class writes it; an unreadable value is overwritten by the next accepted code.
        IdentityReverificationLog.LastStepUnreadable(logger, userId);
        return null;
    }
}
