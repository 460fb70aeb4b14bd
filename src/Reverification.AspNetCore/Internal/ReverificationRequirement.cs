using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// An authorization requirement that passes when the user verified their credentials recently enough for a level.
/// Apps add it with <see cref="RequireReverificationAttribute"/>, <c>.RequireReverification(...)</c> on an endpoint, or
/// <c>RequireReverification(...)</c> on a policy builder.
/// </summary>
/// <remarks>
/// It holds only what identifies the level (a name, or an inline level), so policies that contain it can be cached;
/// thresholds of named app levels are looked up in <see cref="ReverificationOptions"/> when the handler runs.
/// <para>
/// It is also a handler of itself, as ASP.NET Core's <c>AssertionRequirement</c> is (ASP.NET Core's pass-through handler runs
/// it), only to refuse a silent 403: <see cref="ReverificationAuthorizationHandler"/> is registered ahead of the
/// pass-through handler and succeeds the requirement when it passes, so this check runs its one service lookup only
/// when the requirement is still pending, and throws when <c>AddReverification()</c> was never called.
/// </para>
/// </remarks>
internal sealed class ReverificationRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    public ReverificationRequirement(string levelName)
    {
        if (string.IsNullOrEmpty(levelName))
        {
            throw new ArgumentException("A reverification level name is required, e.g. \"strict\".", nameof(levelName));
        }

        ReverificationLevel.ValidateName(levelName, nameof(levelName));
        LevelName = levelName;
        ReverificationLevel.TryGetPreset(levelName, out var preset);
        Level = preset;
    }

    public ReverificationRequirement(ReverificationLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        Level = level;
        LevelName = level.Name;
    }

    /// <summary>The level's name, or <see langword="null"/> for an inline level.</summary>
    public string? LevelName { get; }

    /// <summary>
    /// The level when it is known without options (a preset, or a level passed in), otherwise <see langword="null"/>:
    /// an app level that is looked up by <see cref="LevelName"/> when the handler runs.
    /// </summary>
    public ReverificationLevel? Level { get; }

    Task IAuthorizationHandler.HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.PendingRequirements.Contains(this) && RequestServices(context.Resource) is { } services
            && services.GetService(typeof(ReverificationService)) is null)
        {
            throw new InvalidOperationException(
                $"An endpoint requires reverification at level '{Level?.ToString() ?? LevelName}', but reverification services are not registered, so every request would be refused with a bare 403. "
                + "Call builder.Services.AddReverification() (or AddReverification(options => ...)) when you configure services.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"Reverification required at level '{Level?.ToString() ?? LevelName}'.";

    private static IServiceProvider? RequestServices(object? resource) => resource switch
    {
        HttpContext http => http.RequestServices,
        AuthorizationFilterContext filter => filter.HttpContext.RequestServices,
        _ => null,
    };
}
