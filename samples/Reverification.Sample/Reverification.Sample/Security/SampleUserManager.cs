using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Reverification.Sample.Data;

namespace Reverification.Sample.Security;

/// <summary>
/// Identity's <see cref="UserManager{TUser}"/> with its lockout on the app's <see cref="TimeProvider"/>. ASP.NET Core
/// Identity 10 reads <see cref="DateTimeOffset.UtcNow"/> for lockout; everything else in the sample (cookies,
/// authenticator codes, reverification) reads the injected clock, so that the tests' movable clock moves them all.
/// With <see cref="TimeProvider.System"/> (the default) this behaves exactly as Identity's own.
/// </summary>
public sealed class SampleUserManager(
    IUserStore<SampleUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<SampleUser> passwordHasher,
    IEnumerable<IUserValidator<SampleUser>> userValidators,
    IEnumerable<IPasswordValidator<SampleUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<SampleUser>> logger,
    TimeProvider clock)
    : UserManager<SampleUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <inheritdoc />
    public override async Task<bool> IsLockedOutAsync(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!SupportsUserLockout || !await GetLockoutEnabledAsync(user))
        {
            return false;
        }

        return await GetLockoutEndDateAsync(user) is { } end && end >= clock.GetUtcNow();
    }

    /// <inheritdoc />
    /// <remarks>As Identity's, with the lockout's end on the app's clock.</remarks>
    public override async Task<IdentityResult> AccessFailedAsync(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        ThrowIfDisposed();
        if (Store is not IUserLockoutStore<SampleUser> lockout)
        {
            throw new NotSupportedException("The user store does not keep lockout data (IUserLockoutStore).");
        }

        var count = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count < Options.Lockout.MaxFailedAccessAttempts)
        {
            return await UpdateUserAsync(user);
        }

        await lockout.SetLockoutEndDateAsync(user, clock.GetUtcNow().Add(Options.Lockout.DefaultLockoutTimeSpan), CancellationToken);
        await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        return await UpdateUserAsync(user);
    }
}
