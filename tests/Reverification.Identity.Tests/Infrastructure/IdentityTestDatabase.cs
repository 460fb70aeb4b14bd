using Microsoft.Data.Sqlite;

namespace Reverification.Identity.Tests.Infrastructure;

/// <summary>
/// A SQLite database in a temporary file, with a data-protection key folder beside it: two app instances given the
/// same database share the Identity store and read each other's cookies and tokens, as a scaled-out app does.
/// </summary>
public sealed class IdentityTestDatabase : IDisposable
{
    public const string Password = "Correct-Horse-9";

    private readonly string _directory = Directory.CreateTempSubdirectory("reverification-identity-").FullName;

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "identity.db"), DefaultTimeout = 30 }.ToString();

    public string KeysDirectory => Path.Combine(_directory, "keys");

    /// <summary>Whether the schema was created and the users seeded (by the first app started on it).</summary>
    public bool IsSeeded { get; internal set; }

    /// <summary>A user with a password only.</summary>
    public SeededUser PasswordOnly { get; internal set; } = null!;

    /// <summary>A user with a password, an authenticator (two-factor enabled) and recovery codes.</summary>
    public SeededUser TwoFactor { get; internal set; } = null!;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled connection on another thread: the temp folder is cleaned later.
        }
    }
}
