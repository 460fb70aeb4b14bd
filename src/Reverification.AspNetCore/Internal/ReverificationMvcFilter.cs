using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>
/// Records a reverification failure seen while MVC's <see cref="Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter"/>
/// authorizes (its resource is the filter context): the filter answers with a bare <see cref="ForbidResult"/>.
/// </summary>
internal sealed class ReverificationFailureFeature(AuthorizationHandlerContext context)
{
    public AuthorizationHandlerContext Context { get; } = context;
}

/// <summary>
/// Turns the <see cref="ForbidResult"/> of an app that authorizes through MVC's <c>AuthorizeFilter</c> into the same
/// reverification answer the authorization middleware gives.
/// </summary>
internal sealed class ReverificationForbidResultFilter(ReverificationResponseWriter writer) : IAsyncAlwaysRunResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is ForbidResult
            && context.HttpContext.Features.Get<ReverificationFailureFeature>() is { } feature
            && ReverificationFailures.TryGetDemandedLevel(AuthorizationFailure.Failed(feature.Context.FailureReasons), out var level, out var outcome)
            && await ReverificationFailures.OthersPassAsync(context.HttpContext.RequestServices, feature.Context.User, feature.Context.Resource, feature.Context.Requirements).ConfigureAwait(false))
        {
            context.Result = new ReverificationAnswerResult(writer, level, outcome);
        }

        await next().ConfigureAwait(false);
    }

    private sealed class ReverificationAnswerResult(ReverificationResponseWriter writer, ReverificationLevel level, ReverificationOutcome outcome) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => writer.WriteAsync(context.HttpContext, level, outcome);
    }
}

internal sealed class ReverificationMvcOptionsSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options) => options.Filters.AddService<ReverificationForbidResultFilter>();
}

internal static class ReverificationFailureRecorder
{
    public static void Record(AuthorizationHandlerContext context)
    {
        if (context.Resource is AuthorizationFilterContext filterContext)
        {
            filterContext.HttpContext.Features.Set(new ReverificationFailureFeature(context));
        }
    }
}
