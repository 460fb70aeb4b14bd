using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>Counts the queries on Identity's users table, through an EF Core interceptor on the test app's context.</summary>
public sealed class UserReadCounter : DbCommandInterceptor
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Registers a counter on the app's <see cref="TestDbContext"/>; resolve it from the app's services.</summary>
    public static void Use(IServiceCollection services)
    {
        var counter = new UserReadCounter();
        services.AddSingleton(counter);
        services.ConfigureDbContext<TestDbContext>(o => o.AddInterceptors(counter));
    }

    public void Reset() => Interlocked.Exchange(ref _reads, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(DbCommand command)
    {
        if (command.CommandText.Contains("FROM \"AspNetUsers\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _reads);
        }
    }
}
