using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Reverification.Sample.Client.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
var baseAddress = new Uri(builder.HostEnvironment.BaseAddress);

builder.Services.AddSingleton<SessionState>();
builder.Services.AddTransient<BearerTokenHandler>();
builder.Services.AddScoped<SampleApi>();

// The reverification prompt is the modal dialog of Reverification.Blazor (<ReverificationDialog> in MainLayout).
builder.Services.AddReverificationBlazor();

// The protected API: the reverification handler is outside the bearer-token handler, so its retry picks up the new token.
builder.Services.AddHttpClient(SampleApi.ApiClient, c => c.BaseAddress = baseAddress)
    .AddReverificationHandler()
    .AddHttpMessageHandler<BearerTokenHandler>();

// Sign-in and reverify themselves: no reverification handler.
builder.Services.AddHttpClient(SampleApi.AuthClient, c => c.BaseAddress = baseAddress)
    .AddHttpMessageHandler<BearerTokenHandler>();

await builder.Build().RunAsync();
