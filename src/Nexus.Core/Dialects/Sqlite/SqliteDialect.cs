using System.Data.Common;
using DbUp;
using DbUp.Builder;
using DbUp.Sqlite.Helpers;
using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>The embedded dialect: TEXT ids, JSON text, ISO-8601 UTC text timestamps.</summary>
internal sealed partial class SqliteDialect : ISqlDialect
{
    public StoreProvider Provider => StoreProvider.Sqlite;

    public int ConcurrentWriters => 1;

    public bool NeedsCallDeadline => false;

    // A file is opened without changing its journal mode until it is first migrated (an original
    // store looked at stays as it was); once a step has run it goes to WAL, as every store does.
    public string? AfterMigrated(DbConnection connection, StoreTarget target) =>
        !target.IsInMemory && SqliteConnectionSource.SwitchToWal(connection)
            ? $"Switched {target.DisplayName} to WAL journal mode now that it is migrated (opening it without migrating leaves its journal mode as it is)."
            : null;

    public string ScriptFolder => "sqlite";

    public IConnectionSource CreateConnectionSource(StoreTarget target)
    {
        var timeout = new SqliteConnectionStringBuilder(target.ConnectionString).DefaultTimeout;
        try
        {
            return new SqliteConnectionSource(target, timeout);
        }
        catch (SqliteException e)
        {
            throw Translate(e, target);
        }
    }

    public string ReadServerVersion(DbConnection connection) =>
        "SQLite " + connection.Scalar<string>("SELECT sqlite_version()");

    public bool TableExists(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name");
        command.AddParameter("$name", table);
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }

    public IReadOnlyList<string> ListTables(DbConnection connection) =>
        connection.Strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");

    public string JournalTableDdl => """
        CREATE TABLE IF NOT EXISTS nexus_schema_journal (
            migration_id         TEXT NOT NULL CONSTRAINT pk_nexus_schema_journal PRIMARY KEY,
            script_name          TEXT NOT NULL,
            description          TEXT,
            checksum_sha256      TEXT NOT NULL,
            down_script          TEXT,
            down_checksum_sha256 TEXT,
            applied_at           TEXT NOT NULL,
            module_version       TEXT NOT NULL
        )
        """;

    public UpgradeEngineBuilder CreateUpgradeBuilder(IConnectionSource source, DbConnection connection) =>
        // SQLite runs every script over the caller's connection, so that connection's settings
        // (and any lock it holds) apply to the migration.
        DeployChanges.To.SqliteDatabase(new SharedConnection(connection));

    public NexusException Translate(Exception error, StoreTarget target)
    {
        if (error is NexusException nexus)
        {
            return nexus;
        }

        if (error is SqliteException sqlite)
        {
            var name = target.DisplayName;
            return sqlite.SqliteErrorCode switch
            {
                SqliteErrorCodes.NotADatabase => new NexusException(NexusErrorKind.StoreCorrupt,
                    $"'{name}' is not a SQLite database (it is damaged, encrypted or another kind of file). Check the path, or restore the store from a backup.", name, error),
                SqliteErrorCodes.Corrupt => new NexusException(NexusErrorKind.StoreCorrupt,
                    $"The SQLite store '{name}' is damaged ({sqlite.Message}). Stop writing to it and restore it from a backup (Backup-NexusStore), or salvage it with sqlite3's .recover.", name, error),
                SqliteErrorCodes.Full => DiskFull(target, error),
                SqliteErrorCodes.IoError when IsDiskFull(target) => DiskFull(target, error),
                SqliteErrorCodes.CantOpen => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"The SQLite store '{name}' cannot be opened: {sqlite.Message} Check that the path and its folder exist and are accessible.", name, error),
                SqliteErrorCodes.ReadOnly => new NexusException(NexusErrorKind.ReadOnly,
                    $"The SQLite store '{name}' is read-only: {sqlite.Message}", name, error),
                SqliteErrorCodes.Busy or SqliteErrorCodes.Locked => new NexusException(NexusErrorKind.Busy,
                    $"The SQLite store '{name}' stayed locked by another writer past the busy timeout; nothing of this call was stored. Retry, or raise -CommandTimeout.", name, error),
                _ => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"SQLite error on '{name}': {sqlite.Message}", name, error),
            };
        }

        return new NexusException(NexusErrorKind.ConnectionFailed, $"'{target.DisplayName}': {error.Message}", target.DisplayName, error);
    }

    // SQLite reports a write that the file system refused for lack of space as SQLITE_FULL, but
    // while opening (the -wal and -shm files) only as a "disk I/O error": the free space tells.
    private static bool IsDiskFull(StoreTarget target)
    {
        var folder = target.FilePath is null ? null : Path.GetDirectoryName(target.FilePath);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return false;
        }

        try
        {
            return new DriveInfo(folder).AvailableFreeSpace < 64 * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private static NexusException DiskFull(StoreTarget target, Exception error) =>
        new(NexusErrorKind.DiskFull,
            $"The disk of the SQLite store '{target.DisplayName}' is full (or the store reached its size limit); nothing of this call was stored. Free space on that disk, then retry.",
            target.DisplayName, error);

    // A file has no connection to lose, and SQLite waits out locks itself (busy timeout).
    public WriteFailure Classify(Exception error) => WriteFailure.Other;

    public void AddTimestamp(DbCommand command, string name, DateTime? value) =>
        command.AddParameter(name, TimestampValue(value));

    public object TimestampValue(DateTime? value) => value is null ? DBNull.Value : DbTime.ToSqliteText(value.Value);

    public DateTime? ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DbTime.FromSqliteText(reader.GetString(ordinal));
}
