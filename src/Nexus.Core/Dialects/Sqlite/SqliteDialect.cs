using System.Data.Common;
using DbUp;
using DbUp.Builder;
using DbUp.Sqlite.Helpers;
using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>The embedded dialect: TEXT ids, JSON text, ISO-8601 UTC text timestamps.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public StoreProvider Provider => StoreProvider.Sqlite;

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
            return sqlite.SqliteErrorCode switch
            {
                26 => new NexusException(NexusErrorKind.InvalidData,
                    $"'{target.DisplayName}' is not a SQLite database (or it is encrypted). Check the path.", target.DisplayName, error),
                14 => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"The SQLite store '{target.DisplayName}' cannot be opened: {sqlite.Message} Check that the path and its folder exist and are accessible.", target.DisplayName, error),
                8 => new NexusException(NexusErrorKind.ReadOnly,
                    $"The SQLite store '{target.DisplayName}' is read-only: {sqlite.Message}", target.DisplayName, error),
                5 or 6 => new NexusException(NexusErrorKind.Timeout,
                    $"The SQLite store '{target.DisplayName}' stayed locked by another writer past the busy timeout. Retry, or raise -CommandTimeout.", target.DisplayName, error),
                _ => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"SQLite error on '{target.DisplayName}': {sqlite.Message}", target.DisplayName, error),
            };
        }

        return new NexusException(NexusErrorKind.ConnectionFailed, $"'{target.DisplayName}': {error.Message}", target.DisplayName, error);
    }

    public void AddTimestamp(DbCommand command, string name, DateTime? value) =>
        command.AddParameter(name, TimestampValue(value));

    public object TimestampValue(DateTime? value) => value is null ? DBNull.Value : DbTime.ToSqliteText(value.Value);

    public DateTime? ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DbTime.FromSqliteText(reader.GetString(ordinal));
}
