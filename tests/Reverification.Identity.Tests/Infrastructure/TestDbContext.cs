using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>Identity's EF Core store, schema version 3 (passkeys).</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : IdentityDbContext<TestUser>(options)
{
}
