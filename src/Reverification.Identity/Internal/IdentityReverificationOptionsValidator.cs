using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reverification.AspNetCore;

namespace Reverification.Identity.Internal;

/// <summary>
/// Validates <see cref="IdentityReverificationOptions"/> at start-up, with messages that say what to change; also that
/// Identity is registered for <typeparamref name="TUser"/> and that the app reads the timestamp claims the recorder
/// writes.
/// </summary>
internal sealed class IdentityReverificationOptionsValidator<TUser>(IServiceProviderIsService services, IOptions<ReverificationOptions> reverification)
    : IValidateOptions<IdentityReverificationOptions>
    where TUser : class
{
    public ValidateOptionsResult Validate(string? name, IdentityReverificationOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (!services.IsService(typeof(UserManager<TUser>)))
        {
            builder.AddError(
                $"UserManager<{typeof(TUser).Name}> is not registered: AddIdentityReverification<{typeof(TUser).Name}> works with ASP.NET Core Identity. "
                + $"Call AddIdentity<{typeof(TUser).Name}, TRole>(), AddIdentityCore<{typeof(TUser).Name}>() or AddIdentityApiEndpoints<{typeof(TUser).Name}>() with a store.");
        }

        var format = reverification.Value.ClaimsFormat;
        if (format.Timestamps is null)
        {
            builder.AddError(
                $"Reverification.Identity records verifications in the library's timestamp claims, but AddReverification reads the {format.Name} format. "
                + "Call options.UseTimestamps() (the default) in AddReverification.");
        }

        if (!Enum.IsDefined(options.Recording))
        {
            builder.AddError($"Recording must be Automatic, Cookie, BearerToken or Custom (it is {(int)options.Recording}).", nameof(options.Recording));
        }

        if (options.Recording == IdentityReverificationRecording.Custom && options.IssueToken is null)
        {
            builder.AddError("Recording is Custom, but IssueToken is not set: set IssueToken to return the app's new token, or choose Cookie, BearerToken or Automatic.", nameof(options.IssueToken));
        }

        if (options.IssueToken is not null && options.Recording is IdentityReverificationRecording.Cookie or IdentityReverificationRecording.BearerToken)
        {
            builder.AddError($"IssueToken is set, but Recording is {options.Recording}, which never calls it: set Recording to Custom (or Automatic), or remove IssueToken.", nameof(options.IssueToken));
        }

        if (options.Recording is IdentityReverificationRecording.Automatic or IdentityReverificationRecording.Cookie && string.IsNullOrWhiteSpace(options.CookieScheme))
        {
            builder.AddError("CookieScheme must name the cookie scheme to refresh; the default is IdentityConstants.ApplicationScheme (\"Identity.Application\").", nameof(options.CookieScheme));
        }

        if (options.Recording is IdentityReverificationRecording.Automatic or IdentityReverificationRecording.BearerToken && string.IsNullOrWhiteSpace(options.BearerScheme))
        {
            builder.AddError("BearerScheme must name the bearer-token scheme to sign in again; the default is IdentityConstants.BearerScheme (\"Identity.Bearer\").", nameof(options.BearerScheme));
        }

        if (options.AttemptLimit is < 1 or > 1000)
        {
            builder.AddError($"AttemptLimit must be between 1 and 1000 attempts per window (it is {options.AttemptLimit}); the default is 10.", nameof(options.AttemptLimit));
        }

        if (options.AttemptWindow < TimeSpan.FromSeconds(1) || options.AttemptWindow > TimeSpan.FromDays(1))
        {
            builder.AddError($"AttemptWindow must be between 1 second and 1 day (it is {options.AttemptWindow}); the default is 1 minute.", nameof(options.AttemptWindow));
        }

        return builder.Build();
    }
}
