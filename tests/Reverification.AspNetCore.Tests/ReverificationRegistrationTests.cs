using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reverification.AspNetCore.Tests.Infrastructure;

namespace Reverification.AspNetCore.Tests;

/// <summary>
/// Forgetting <c>AddReverification()</c> is never a silent 403: the app fails where the library can see it (endpoint
/// conventions, when endpoints are built), and otherwise at the first protected request, saying what to call.
/// </summary>
public class ReverificationRegistrationTests
{
    private static Task<TestApp> StartWithoutAddReverificationAsync(Action<WebApplication> map, Action<IServiceCollection>? services = null)
        => TestApp.StartAsync(map, services: services, addReverification: false);

    private static string FreshToken() => TestTokens.Create(TestApp.Start, TestTokens.Timestamps(TestApp.Start, 1, 1));

    [Fact]
    public async Task EndpointConvention_WithoutAddReverification_StartFailsNamingTheEndpointAndWhatToCall()
    {
        // Endpoint conventions run with the app's services when the endpoints are built, at start-up.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartWithoutAddReverificationAsync(web => web.MapPost("/transfer", () => "sent").RequireReverification("strict")));
        Assert.Contains("AddReverification()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/transfer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointConventionOnAGroup_WithoutAddReverification_StartFails()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartWithoutAddReverificationAsync(web => web.MapGroup("/api").RequireReverification(ReverificationFactors.FirstFactor, 5).MapPost("/transfer", () => "sent")));
        Assert.Contains("AddReverification()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/api/transfer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attribute_WithoutAddReverification_FirstProtectedRequestThrowsSayingWhatToCall()
    {
        await using var app = await StartWithoutAddReverificationAsync(
            web => web.MapControllers(),
            services => services.AddTestControllers(typeof(AccountController)));
        var client = app.Client;
        var request = new HttpRequestMessage(HttpMethod.Post, "/mvc/delete");
        request.Headers.Authorization = new("Bearer", FreshToken());

        // The exception reaches the app's error handling (the developer exception page here): a 500 that says what
        // to call, never a bare 403.
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("InvalidOperationException", page, StringComparison.Ordinal);
        Assert.Contains("AddReverification()", page, StringComparison.Ordinal);

        // Anyone reaching the endpoint gets the configuration error, an anonymous caller too.
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync("/mvc/delete", null)).StatusCode);
    }

    [Fact]
    public async Task Registered_PassingAndDenyingRequests_NeverThrow()
    {
        await using var app = await TestApp.StartAsync(web => web.MapPost("/transfer", () => "sent").RequireReverification("strict"));
        var now = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(now, 1, 1)))).StatusCode);
        await Answer.AssertReverificationAsync(await app.SendAsync(HttpMethod.Post, "/transfer", app.Token(TestTokens.Timestamps(now, 30, 30))), Answer.Body("strict"), 600);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Post, "/transfer")).StatusCode);
    }
}
