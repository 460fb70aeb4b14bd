using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Reverification.AspNetCore.Internal;

/// <summary>Adds <see cref="ReverificationForbidResultFilter"/> to every MVC action.</summary>
internal sealed class ReverificationMvcOptionsSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options) => options.Filters.AddService<ReverificationForbidResultFilter>();
}
