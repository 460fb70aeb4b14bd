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
        test.MapGet("/transfers/count", async (string email, UserManager<SampleUser> users, SampleDbContext db) =>
        {
            var user = await users.FindByEmailAsync(email);
            var count = user is null ? 0 : await db.Transfers.CountAsync(t => t.UserId == user.Id);
            return Results.Text(count.ToString(CultureInfo.InvariantCulture));
        });
    }
}
