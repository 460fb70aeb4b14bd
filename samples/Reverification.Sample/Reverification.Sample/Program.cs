using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reverification.Sample.Api;
using Reverification.Sample.Client.Api;
using Reverification.Sample.Components;
using Reverification.Sample.Data;
using Reverification.Sample.Security;
using Reverification.Sample.Testing;

var builder = WebApplication.CreateBuilder(args);
var sample = builder.Configuration.GetSection("Sample").Get<SampleOptions>() ?? new SampleOptions();
builder.Services.Configure<SampleOptions>(builder.Configuration.GetSection("Sample"));

// One clock for everything that reads the time: token issuance and validation, reverification.
if (sample.EnableTestClock)
{
    if (!builder.Environment.IsDevelopment())
    {
        throw new InvalidOperationException("Sample:EnableTestClock lets anyone move the clock; it is only allowed in the Development environment.");
    }

    builder.Services.AddSingleton<SampleClock>();
    builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SampleClock>());
}
else
{
    builder.Services.AddSingleton(TimeProvider.System);
}

// ASP.NET Core Identity on EF Core + SQLite; the database is created and seeded on first run.
var dataDirectory = Path.Combine(builder.Environment.ContentRootPath, sample.DataDirectory);
Directory.CreateDirectory(dataDirectory);
builder.Services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(dataDirectory, "sample.db")}"));
builder.Services.AddIdentityCore<SampleUser>(o => o.User.RequireUniqueEmail = true)
    .AddEntityFrameworkStores<SampleDbContext>()
    .AddTokenProvider<AuthenticatorTokenProvider<SampleUser>>(TokenOptions.DefaultAuthenticatorProvider);

// The API accepts the sample's own JWTs.
builder.Services.AddSingleton<SigningKeyStore>();
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddScoped<BankService>();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
    .Configure<SigningKeyStore, TimeProvider>((o, keys, clock) =>
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = TokenIssuer.CreateValidationParameters(keys, clock);
    });

// Reverification with the default timestamp claims and the four preset levels.
builder.Services.AddReverification();

// Password and code checks are rate limited: reverification per user and address, sign-in per address.
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.OnRejected = (context, cancellationToken) => new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
        new ApiError("too_many_attempts", "Too many attempts. Wait a minute, then try again."), cancellationToken));
    o.AddPolicy(AuthEndpoints.ReverifyRateLimitPolicy, http => FixedWindow(
        $"{TokenIssuer.ReadUserId(http.User)}|{http.Connection.RemoteIpAddress}",
        Settings(http).VerifyAttemptsPerMinute));
    o.AddPolicy(AuthEndpoints.SignInRateLimitPolicy, http => FixedWindow(
        http.Connection.RemoteIpAddress?.ToString() ?? "",
        Settings(http).SignInAttemptsPerMinute));

    static SampleOptions Settings(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value;

    static RateLimitPartition<string> FixedWindow(string key, int permitsPerMinute) => RateLimitPartition.GetFixedWindowLimiter(
        key,
        _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
});

builder.Services.AddControllers();
builder.Services.AddRazorComponents()
    .AddInteractiveWebAssemblyComponents();

var app = builder.Build();

// The signing key is checked now, so that a missing key stops the start with a message that says what to set, instead
// of failing the first sign-in.
_ = app.Services.GetRequiredService<SigningKeyStore>();
await SampleSeeder.SeedAsync(app.Services);

if (app.Environment.IsDevelopment())
{
    app.UseWebAssemblyDebugging();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthEndpoints();
app.MapBankEndpoints();
app.MapControllers();
if (sample.EnableTestClock)
{
    app.Logger.LogWarning("Sample:EnableTestClock is on: /test/clock/advance can move the clock. Never use this outside tests.");
    app.MapTestEndpoints();
}

app.MapRazorComponents<App>()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(Reverification.Sample.Client._Imports).Assembly);

await app.RunAsync();
