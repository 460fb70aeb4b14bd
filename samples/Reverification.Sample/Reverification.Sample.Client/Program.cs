using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Reverification.Sample.Client.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// Session, API clients (with the reverification handler) and the reverification dialog: see SampleClientServices.
builder.Services.AddSampleClient(new Uri(builder.HostEnvironment.BaseAddress));

await builder.Build().RunAsync();
