using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Playwright;

namespace Reverification.Sample.Tests;

/// <summary>
/// Runs the sample for real: its build output on Kestrel at 127.0.0.1 on a free port, with a temporary SQLite
/// database and the test clock on, plus one headless Debian Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class SampleAppFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's Chromium by default; <c>REVERIFICATION_CHROMIUM</c> points at another installed Chromium-based browser
    /// (GitHub's Ubuntu runners have Google Chrome at /usr/bin/google-chrome and no Debian Chromium).
    /// </summary>
    public static readonly string ChromiumPath =
        Environment.GetEnvironmentVariable("REVERIFICATION_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly StringBuilder _output = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _usedSteps = new(StringComparer.Ordinal);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "reverification-sample-tests-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Where the tests save screenshots: <c>artifacts/</c> under the test output.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public string ServerOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, and it is missing. Install it with "
                + "`sudo apt-get update && sudo apt-get install -y chromium`, or set REVERIFICATION_CHROMIUM to another "
                + "installed Chromium-based browser (the tests never download a browser).");
        }

        Directory.CreateDirectory(_dataDirectory);
        var port = GetFreePort();
        // localhost, not 127.0.0.1: WebAuthn refuses an IP address as the relying party (the passkey tests), and
        // localhost is a secure context over plain http.
        BaseAddress = new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        StartSample();
        await WaitUntilReadyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>The sample's clock now (its test clock: the real time plus the offset the tests moved it by).</summary>
    public async Task<DateTimeOffset> ServerNowAsync()
    {
        using var clock = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync("test/clock"));
        return clock.RootElement.GetProperty("now").GetDateTimeOffset();
    }

    /// <summary>A code of the account's authenticator key that the sample has not accepted yet (see the other overload).</summary>
    public Task<string> FreshCodeAsync(TestAccount account) => FreshCodeAsync(account.Email, account.Secret!);

    /// <summary>
    /// A code of <paramref name="secret"/> that the sample has not accepted yet for <paramref name="email"/>: its
    /// authenticator codes are single-use per user (whatever the key: a reset key does not reopen a used time step)
    /// and checked on its own clock (the test clock). When this test run already used the current time step for the
    /// user, the clock is moved into the next unused step (at most a few seconds past 30).
    /// </summary>
    public async Task<string> FreshCodeAsync(string email, string secret)
    {
        var now = await ServerNowAsync();
        var step = now.ToUnixTimeSeconds() / 30;
        var last = _usedSteps.GetValueOrDefault(email, long.MinValue);
        if (step <= last)
        {
            var target = last + 1;
            await AdvanceClockAsync(TimeSpan.FromSeconds((target * 30) - now.ToUnixTimeSeconds() + 1));
            now = await ServerNowAsync();
            step = now.ToUnixTimeSeconds() / 30;
        }

        _usedSteps[email] = step;
        return DemoAccount.CodeAt(secret, now);
    }

    /// <summary>The code the account used last (<see cref="FreshCodeAsync(TestAccount)"/>), again, to show it is refused.</summary>
    public string LastUsedCode(TestAccount account)
        => DemoAccount.CodeAtStep(account.Secret!, _usedSteps.TryGetValue(account.Email, out var step) ? step : throw new InvalidOperationException("No code used yet."));

    /// <summary>A well-formed code of <paramref name="secret"/> that is wrong in every step around the sample's clock.</summary>
    public async Task<string> WrongCodeAsync(string secret) => DemoAccount.WrongCode(secret, await ServerNowAsync());

    /// <summary>Moves the sample's clock forward (only possible in its test-clock mode).</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        var minutes = by.TotalMinutes.ToString(CultureInfo.InvariantCulture);
        using var response = await Http.PostAsync($"test/clock/advance?minutes={minutes}", content: null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Creates an account that only the calling test uses (<c>POST /test/users</c>), so that no test shares a user's
    /// state (its lockout count, its used codes, its balance, its existence) with another.
    /// </summary>
    public async Task<TestAccount> CreateUserAsync(bool withAuthenticator)
    {
        var account = new TestAccount(
            $"user-{Guid.NewGuid():N}@example.test",
            "Test-Password-1!",
            withAuthenticator ? DemoAccount.NewSecret() : null);
        using var response = await Http.PostAsJsonAsync("test/users", new { email = account.Email, password = account.Password, authenticatorKey = account.Secret });
        Assert.True(response.IsSuccessStatusCode, $"Creating a test user failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return account;
    }

    /// <summary>How many transfers the server recorded for <paramref name="email"/> (read from its database).</summary>
    public async Task<int> CountTransfersAsync(string email)
        => int.Parse(await Http.GetStringAsync($"test/transfers/count?email={Uri.EscapeDataString(email)}"), CultureInfo.InvariantCulture);

    private void StartSample()
    {
        var configuration = typeof(SampleAppFixture).Assembly.GetCustomAttribute<SampleConfigurationAttribute>()?.Configuration ?? "Debug";
        var projectDirectory = Path.Combine(RepositoryRoot, "samples", "Reverification.Sample", "Reverification.Sample");
        var assembly = Path.Combine(projectDirectory, "bin", configuration, "net10.0", "Reverification.Sample.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The sample is not built: {assembly} is missing. Build the test project (it builds the sample).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            // The project folder is the content root, as with `dotnet run`; Development serves the WebAssembly files
            // from the build output.
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Sample__EnableTestClock"] = "true";
        start.Environment["Sample__DataDirectory"] = _dataDirectory;
        // Every test signs in; the per-address limit would otherwise count them all together.
        start.Environment["Sample__SignInAttemptsPerMinute"] = "1000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sample.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The sample exited with code {_process.ExitCode}:\n{ServerOutput}");
            }

            try
            {
                using var response = await Http.GetAsync("test/clock");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The sample did not answer at {BaseAddress} within 60 s:\n{ServerOutput}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reverification.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Reverification.sln not found above " + AppContext.BaseDirectory);
    }
}
