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
        services.AddTransient<BearerTokenHandler>();
        services.AddTransient<AttemptTimeoutHandler>();
        services.AddScoped<SampleApi>();

        // The reverification prompt is the modal dialog of Reverification.Blazor (<ReverificationDialog> in MainLayout).
        services.AddReverificationBlazor();

        // The protected API. The reverification handler is outside the bearer-token handler, so its retry picks up the
        // new token. HttpClient.Timeout (100 s by default) would include the time the user spends in the prompt and
        // end the call while they type their code: it is off, and each attempt has its own limit instead.
        services.AddHttpClient(SampleApi.ApiClient, c =>
            {
                c.BaseAddress = baseAddress;
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddReverificationHandler()
            .AddHttpMessageHandler<AttemptTimeoutHandler>()
            .AddHttpMessageHandler<BearerTokenHandler>();

        // Sign-in and reverify themselves: no reverification handler, so no prompt, and HttpClient's default timeout.
        services.AddHttpClient(SampleApi.AuthClient, c => c.BaseAddress = baseAddress)
            .AddHttpMessageHandler<BearerTokenHandler>();
        return services;
    }
}
