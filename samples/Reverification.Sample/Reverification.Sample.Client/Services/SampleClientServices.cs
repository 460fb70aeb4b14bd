using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Reverification.Sample.Client.Services;

/// <summary>The UI's services and its two <see cref="HttpClient"/>s (shared by Program.cs and the tests).</summary>
public static class SampleClientServices
{
    public static IServiceCollection AddSampleClient(this IServiceCollection services, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionState>();
        services.AddTransient<AttemptTimeoutHandler>();
        services.AddScoped<PasskeyInterop>();
        services.AddScoped<SampleApi>();

        // The reverification prompt is the modal dialog of Reverification.Blazor (<ReverificationDialog> in MainLayout).
        services.AddReverificationBlazor();

        // The protected API, with Identity's cookie (the browser sends it with same-origin requests). When the API
        // answers "reverification required", the handler opens the dialog, whose form verifies through /reverify/*
        // (which refreshes the cookie), then sends the request again. HttpClient.Timeout (100 s by default) would
        // include the time the user spends in the prompt and end the call while they type their code: it is off, and
        // each attempt has its own limit instead.
        services.AddHttpClient(SampleApi.ApiClient, c =>
            {
                c.BaseAddress = baseAddress;
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddReverificationHandler()
            .AddHttpMessageHandler<AttemptTimeoutHandler>();

        // Sign-in and the /reverify/* endpoints themselves: no reverification handler, so no prompt.
        services.AddHttpClient(SampleApi.AuthClient, c => c.BaseAddress = baseAddress);
        return services;
    }
}
