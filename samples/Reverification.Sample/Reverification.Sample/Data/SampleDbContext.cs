using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Reverification.Sample.Data;

/// <summary>Identity's tables plus the sample's transfers, in SQLite.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : IdentityDbContext<SampleUser>(options)
{
    public DbSet<Transfer> Transfers => Set<Transfer>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Transfer>().HasIndex(t => t.UserId);
    }
}
