using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Reverification.AspNetCore;
using Reverification.Blazor.Server;
using Reverification.Blazor.Server.Internal;
using Reverification.Identity.Internal;
using Reverification.Identity.Tests.Infrastructure;

namespace Reverification.Identity.Tests;

/// <summary>
/// How a Blazor Server circuit learns a verification the browser recorded in the cookie: the receipt from
/// <c>POST /reverify/receipt</c>, applied by Reverification.Blazor.Server's handler to the circuit's authentication state
/// (Blazor's own <see cref="ServerAuthenticationStateProvider"/>), then <see cref="CircuitReverification"/> passes.
/// </summary>
public class CircuitReceiptHandlerTests
{
    private sealed record Circuit(ServerAuthenticationStateProvider State, IReverificationReceiptHandlerProbe Handler, CircuitReverification Reverification, IServiceScope Scope) : IDisposable
    {
        public void Dispose() => Scope.Dispose();
    }

    /// <summary>The handler under its interface, as the form calls it.</summary>
    private interface IReverificationReceiptHandlerProbe
    {
        Task<bool> ApplyAsync(string receipt);
    }

    private sealed class Probe(Reverification.Blazor.IReverificationReceiptHandler handler) : IReverificationReceiptHandlerProbe
    {
        public Task<bool> ApplyAsync(string receipt) => handler.ApplyAsync(receipt, CancellationToken.None);
    }

    /// <summary>A circuit of <paramref name="user"/>: its state is the principal Identity's sign-in made, without times.</summary>
    private static async Task<Circuit> CircuitOfAsync(IdentityTestApp app, SeededUser user, bool checkStamp = false)
    {
        var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TestUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<TestUser>>().CreateAsync((await users.FindByIdAsync(user.Id))!);
        var state = new ServerAuthenticationStateProvider();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var handler = new CircuitReceiptHandler<TestUser>(state, scope.ServiceProvider.GetRequiredService<VerificationReceipts<TestUser>>(), NullLogger<CircuitReceiptHandler<TestUser>>.Instance);
        // As AddReverificationBlazorServer<TUser>() builds it when checkStamp is set.
        var reverification = new CircuitReverification(
            state,
            app.Services.GetRequiredService<IReverificationService>(),
            checkStamp ? new IdentityCircuitStampCheck<TestUser>(app.Services.GetRequiredService<IServiceScopeFactory>()) : null);
        return new Circuit(state, new Probe(handler), reverification, scope);
    }

    private static async Task<string> ReceiptAsync(TestSession session)
    {
        var response = await session.PostRawAsync("/reverify/receipt", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("receipt").GetString()!;
    }

    [Fact]
    public async Task Apply_AfterTheBrowserReverified_TheCircuitPassesStrict()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));
        using var circuit = await CircuitOfAsync(app, app.TwoFactor);
        await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.Reverification.EnsureAsync("strict"));
        var changed = 0;
        circuit.State.AuthenticationStateChanged += _ => changed++;
        Assert.Equal(HttpStatusCode.NoContent, (await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor, steps: 1) })).StatusCode);

        Assert.True(await circuit.Handler.ApplyAsync(await ReceiptAsync(session)));

        await circuit.Reverification.EnsureAsync("strict");
        Assert.Equal(1, changed);
        var user = (await circuit.State.GetAuthenticationStateAsync()).User;
        Assert.Equal(app.TwoFactor.Id, user.FindFirstValue(ClaimTypes.NameIdentifier));
        // Only the factor verified is fresh: strict_mfa still asks for the password.
        await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.Reverification.EnsureAsync("strict_mfa"));
    }

    [Fact]
    public void AddReverificationBlazorServer_WithTheUserType_RegistersTheStampCheck()
    {
        var services = new ServiceCollection();
        services.AddReverificationBlazorServer<TestUser>();
        Assert.Contains(services, static d => d.ServiceType == typeof(CircuitStampCheck) && d.ImplementationType == typeof(IdentityCircuitStampCheck<TestUser>));

        var withoutIdentity = new ServiceCollection();
        withoutIdentity.AddReverificationBlazorServer();
        Assert.DoesNotContain(withoutIdentity, static d => d.ServiceType == typeof(CircuitStampCheck));
    }

    [Fact]
    public async Task EnsureAsync_SecurityStampChangedElsewhere_TheCircuitsVerificationStopsCounting()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInLongAgoAsync(app.TwoFactor, app.Code(app.TwoFactor));
        using var circuit = await CircuitOfAsync(app, app.TwoFactor, checkStamp: true);
        Assert.Equal(HttpStatusCode.NoContent, (await app.ReverifyAsync(session, "authenticator", new { code = app.Code(app.TwoFactor, steps: 1) })).StatusCode);
        Assert.True(await circuit.Handler.ApplyAsync(await ReceiptAsync(session)));
        await circuit.Reverification.EnsureAsync("strict");

        // The password changed in another tab: the open circuit's verification is revoked at once.
        await app.WithUserAsync(app.TwoFactor, static (users, user) => users.UpdateSecurityStampAsync(user));

        await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.Reverification.EnsureAsync("strict"));
        Assert.False(await circuit.Reverification.HasReverifiedAsync("strict"));
    }

    [Fact]
    public async Task Apply_AnotherUsersReceipt_RefusedAndTheStateUnchanged()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var attacker = await app.SignInAsync(app.PasswordOnly);
        using var circuit = await CircuitOfAsync(app, app.TwoFactor);
        var before = (await circuit.State.GetAuthenticationStateAsync()).User;

        Assert.False(await circuit.Handler.ApplyAsync(await ReceiptAsync(attacker)));

        Assert.Same(before, (await circuit.State.GetAuthenticationStateAsync()).User);
        await Assert.ThrowsAsync<ReverificationRequiredException>(() => circuit.Reverification.EnsureAsync("lax"));
    }

    [Fact]
    public async Task Apply_Forged_RefusedAndTheStateUnchanged()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var circuit = await CircuitOfAsync(app, app.TwoFactor);
        var before = (await circuit.State.GetAuthenticationStateAsync()).User;

        Assert.False(await circuit.Handler.ApplyAsync("eyJ1IjoiMSIsImUiOjk5OTk5OTk5OTksImMiOltdfQ"));

        Assert.Same(before, (await circuit.State.GetAuthenticationStateAsync()).User);
    }

    [Fact]
    public async Task Apply_Expired_Refused()
    {
        await using var app = await IdentityTestApp.StartAsync();
        using var session = await app.SignInAsync(app.TwoFactor, app.Code(app.TwoFactor));
        using var circuit = await CircuitOfAsync(app, app.TwoFactor);
        var receipt = await ReceiptAsync(session);

        app.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.False(await circuit.Handler.ApplyAsync(receipt));
    }
}
