using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// Connections to one SQLite file: WAL, foreign keys on, synchronous=NORMAL and a busy timeout on
/// every connection. An in-memory store keeps one connection open for its lifetime. A file that is
/// not yet a module store (new, or made by the original system) keeps its journal mode until it is
/// first migrated (<see cref="Migrations.MigrationRunner"/> switches it), so opening it to look
/// changes nothing.
/// </summary>
internal sealed class SqliteConnectionSource : IConnectionSource
{
    private readonly StoreTarget _target;
    private readonly string _pragmas;
    private SqliteConnection? _keepAlive;

    public SqliteConnectionSource(StoreTarget target, int busyTimeoutSeconds)
    {
        _target = target;
        _pragmas = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyTimeoutSeconds * 1000};";
        if (target.IsInMemory)
        {
            _keepAlive = (SqliteConnection)Open();
            return;
        }

        CheckFile(target.FilePath!);
        using var first = Open();
        // WAL is a property of the file: set once, every later connection inherits it.
        if (IsModuleStore(first))
        {
            first.Execute("PRAGMA journal_mode=WAL;");
        }
    }

    /// <summary>True when the file holds this module's migration journal (so it has been migrated, and written).</summary>
    internal static bool IsModuleStore(DbConnection connection) =>
        connection.Scalar<long>($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{JournalTable.Name}'") > 0;

    /// <summary>Switches the file to WAL (once migrated); returns false when it was in WAL already.</summary>
    internal static bool SwitchToWal(DbConnection connection)
    {
        if (string.Equals(connection.Scalar<string>("PRAGMA journal_mode"), "wal", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        connection.Execute("PRAGMA journal_mode=WAL;");
        return true;
    }

    public DbConnection Open()
    {
        var connection = new SqliteConnection(_target.ConnectionString);
        try
        {
            connection.Open();
            connection.Execute(_pragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A SQLite connection does not go stale: nothing to drop.
    public void ClearPool()
    {
    }

    public void Dispose()
    {
        _keepAlive?.Dispose();
        _keepAlive = null;
        if (_target.FilePath is not null)
        {
            // Release pooled handles so the file can be moved or deleted once the store is closed.
            SqliteConnection.ClearAllPools();
        }
    }

    private static void CheckFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"'{path}' is a directory.", path, hint: $"Give the path of a store file inside it, such as '{Path.Combine(path, "nexus.db")}'.");
        }

        if (File.Exists(path))
        {
            if (IsReadOnly(path))
            {
                throw new NexusException(NexusErrorKind.ReadOnly,
                    $"The store file '{path}' is read-only.", path, hint: "Make it writable (chmod u+w, or clear the read-only attribute) or copy it somewhere writable.");
            }

            return;
        }

        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NexusException(NexusErrorKind.ReadOnly,
                    $"The folder '{folder}' for the store cannot be created: {e.Message}", path, e);
            }
        }
    }

    private static bool IsReadOnly(string path)
    {
        if (File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly))
        {
            return true;
        }

        // Root ignores permission bits, so judge by the bits themselves: no write bit, read-only.
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            return (File.GetUnixFileMode(path) & anyWrite) == 0;
        }

        return false;
    }
}
