using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
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

// One clock for everything that reads the time: cookies, Identity's lockout (SampleUserManager), authenticator codes,
// reverification.
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

// ASP.NET Core Identity on EF Core + SQLite, with its application cookie; the database is created and seeded on first
// run. Schema version 3 has the passkeys table.
var dataDirectory = Path.Combine(builder.Environment.ContentRootPath, sample.DataDirectory);
Directory.CreateDirectory(dataDirectory);
builder.Services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(dataDirectory, "sample.db")}"));
builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
builder.Services.AddIdentityCore<SampleUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        o.Lockout.AllowedForNewUsers = true;
    })
    .AddUserManager<SampleUserManager>()
    .AddEntityFrameworkStores<SampleDbContext>()
    .AddSignInManager()
    .AddDefaultTokenProviders();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.Cookie.Name = "Reverification.Sample";
    o.Cookie.HttpOnly = true;
    // The UI and its API share one origin and the sample has no external sign-in: Strict keeps the cookie off every
    // cross-site request (see docs/sample.md, "Cookies and cross-site requests").
    o.Cookie.SameSite = SameSiteMode.Strict;
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
    // An API answers with status codes, never a redirect to a login page.
    o.Events.OnRedirectToLogin = context => SetStatus(context, StatusCodes.Status401Unauthorized);
    o.Events.OnRedirectToAccessDenied = context => SetStatus(context, StatusCodes.Status403Forbidden);

    static Task SetStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
});

// Cookies and Identity's security-stamp validation on the app's clock.
builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<TimeProvider>((o, clock) => o.TimeProvider = clock);
builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme).Configure<TimeProvider>((o, clock) => o.TimeProvider = clock);
builder.Services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((o, clock) => o.TimeProvider = clock);

// Reverification with the default timestamp claims and the four preset levels, verified through Identity: sign-in
// records its factors, the /reverify endpoints verify again, authenticator codes are single-use, wrong answers count
// against Identity's lockout.
// A full page load of a protected page on a stale session is redirected to the UI's /confirm page (Pages/Confirm.razor),
// which prompts and then loads the page again; API calls keep the JSON answer that the client's handler reads.
builder.Services.AddReverification(o => o.ReverifyPath = "/confirm").AddIdentityReverification<SampleUser>();
builder.Services.AddAuthorization();

builder.Services.AddScoped<BankService>();
builder.Services.AddScoped<Reverification.Sample.Circuit.CircuitBank>();
builder.Services.AddScoped<SignInService>();

// Sign-in is also limited per address, on top of the per-account lockout.
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.OnRejected = (context, cancellationToken) => new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
        new ApiError("too_many_attempts", "Too many attempts from this network. Wait a minute, then try again."), cancellationToken));
    o.AddPolicy(AuthEndpoints.SignInRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
        http.Connection.RemoteIpAddress?.ToString() ?? "",
        _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = http.RequestServices.GetRequiredService<IOptions<SampleOptions>>().Value.SignInAttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
});

builder.Services.AddControllers();
builder.Services.AddRazorComponents()
    .AddInteractiveWebAssemblyComponents()
    .AddInteractiveServerComponents();
builder.Services.AddCascadingAuthenticationState();

// The Blazor Server page (/server/transfer): the dialog per circuit, CircuitReverification for services and
// ReverificationRunner for components; verifications reach the circuit through receipts.
builder.Services.AddReverificationBlazorServer<SampleUser>();

var app = builder.Build();

await SampleSeeder.SeedAsync(app.Services);

if (app.Environment.IsDevelopment())
{
    app.UseWebAssemblyDebugging();
}
else
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseMiddleware<CrossSiteRequestGuard>();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthEndpoints();
app.MapReverificationEndpoints<SampleUser>();
app.MapBankEndpoints();
app.MapSettingsEndpoints();
app.MapControllers();
if (sample.EnableTestClock)
{
    app.Logger.LogWarning("Sample:EnableTestClock is on: /test/clock/advance can move the clock. Never use this outside tests.");
    app.MapTestEndpoints();
}

app.MapRazorComponents<App>()
    .AddInteractiveWebAssemblyRenderMode()
    .AddInteractiveServerRenderMode()
    .AddAdditionalAssemblies(typeof(Reverification.Sample.Client._Imports).Assembly);

await app.RunAsync();
