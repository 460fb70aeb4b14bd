using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Reverification.Sample.Data;

namespace Reverification.Sample.Testing;

/// <summary>Endpoints for the browser tests; mapped only when <c>Sample:EnableTestClock</c> is <c>true</c>.</summary>
public static class TestEndpoints
{
    public static void MapTestEndpoints(this IEndpointRouteBuilder app)
    {
        var test = app.MapGroup("/test");
        test.MapGet("/clock", (SampleClock clock) => Results.Ok(new { now = clock.GetUtcNow(), offsetMinutes = clock.Offset.TotalMinutes }));
        test.MapPost("/clock/advance", (double minutes, SampleClock clock) =>
        {
            if (minutes <= 0)
            {
                return Results.BadRequest("minutes must be more than 0");
            }

            clock.Advance(TimeSpan.FromMinutes(minutes));
            return Results.Ok(new { now = clock.GetUtcNow(), offsetMinutes = clock.Offset.TotalMinutes });
        });

        // A throwaway account for one test, so that tests never share a user (its reverify rate limit, its balance, its
        // deletion) and their order cannot matter.
        test.MapPost("/users", async (TestUserRequest request, UserManager<SampleUser> users, IUserStore<SampleUser> store) =>
        {
            if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            {
                return Results.BadRequest("email and password are required");
            }

            var result = await SampleSeeder.CreateUserAsync(users, store, request.Email, request.DisplayName ?? "Test user", request.Password, request.AuthenticatorKey);
            return result.Succeeded
                ? Results.Ok()
                : Results.BadRequest(string.Join("; ", result.Errors.Select(e => e.Description)));
        });
        test.MapGet("/transfers/count", async (string email, UserManager<SampleUser> users, SampleDbContext db) =>
        {
            var user = await users.FindByEmailAsync(email);
            var count = user is null ? 0 : await db.Transfers.CountAsync(t => t.UserId == user.Id);
            return Results.Text(count.ToString(CultureInfo.InvariantCulture));
        });
    }
}

/// <summary>An account for one test: a password, and an authenticator key (base32) when it has a second factor.</summary>
public sealed record TestUserRequest(string Email, string Password, string? AuthenticatorKey, string? DisplayName);
