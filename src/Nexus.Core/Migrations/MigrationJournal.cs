using System.Data;
using System.Data.Common;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// This module's DbUp journal (<see cref="IJournal"/>): table nexus_schema_journal, one row per
/// applied migration with its id, when it was applied (UTC), the SHA-256 of its up script, and the
/// down script itself, so that a store can always be taken back down by what was applied to it.
/// </summary>
internal sealed class MigrationJournal : IJournal
{
    public const string TableName = "nexus_schema_journal";

    private readonly Func<IConnectionManager> _connectionManager;
    private readonly ISqlDialect _dialect;
    private readonly MigrationCatalog _catalog;

    public MigrationJournal(Func<IConnectionManager> connectionManager, ISqlDialect dialect, MigrationCatalog catalog)
    {
        _connectionManager = connectionManager;
        _dialect = dialect;
        _catalog = catalog;
    }

    public string[] GetExecutedScripts() =>
        _connectionManager().ExecuteCommandsWithManagedConnection(commandFactory =>
        {
            using var check = commandFactory();
            check.CommandText = _dialect.Provider == StoreProvider.Sqlite
                ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{TableName}'"
                : $"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '{TableName}'";
            if (Convert.ToInt64(check.ExecuteScalar()) == 0)
            {
                return Array.Empty<string>();
            }

            using var command = commandFactory();
            command.CommandText = $"SELECT script_name FROM {TableName} ORDER BY migration_id";
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return names.ToArray();
        });

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        var migration = _catalog.Find(script.Name)
            ?? throw new NexusException(NexusErrorKind.MigrationFailed, $"DbUp ran '{script.Name}', which is not in this module's catalog.");

        if (_dialect.Provider == StoreProvider.Sqlite)
        {
            // Copy-and-swap rebuilds run with foreign keys off; check them before this commits.
            using var fkCheck = dbCommandFactory();
            fkCheck.CommandText = "PRAGMA foreign_key_check";
            using var reader = fkCheck.ExecuteReader();
            if (reader.Read())
            {
                throw new NexusException(NexusErrorKind.MigrationFailed,
                    $"Migration {migration.ScriptName} left a broken foreign key (table {reader.GetString(0)}); it was rolled back.");
            }
        }

        using var command = (DbCommand)dbCommandFactory();
        command.CommandText = $"""
            INSERT INTO {TableName} (migration_id, script_name, description, checksum_sha256, down_script, down_checksum_sha256, applied_at, module_version)
            VALUES (@id, @name, @description, @checksum, @down, @downChecksum, @appliedAt, @moduleVersion)
            """;
        command.AddParameter("@id", migration.Id);
        command.AddParameter("@name", migration.ScriptName);
        command.AddParameter("@description", migration.Description);
        command.AddParameter("@checksum", migration.Checksum);
        command.AddParameter("@down", migration.DownScript);
        command.AddParameter("@downChecksum", migration.DownChecksum);
        _dialect.AddTimestamp(command, "@appliedAt", DbTime.UtcNow());
        command.AddParameter("@moduleVersion", ModuleVersion);
        command.ExecuteNonQuery();
    }

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = _dialect.JournalTableDdl;
        command.ExecuteNonQuery();
    }

    /// <summary>The version of Nexus.Core, written into each journal row.</summary>
    public static string ModuleVersion { get; } =
        typeof(MigrationJournal).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Reads every journal row over an open connection (empty when there is no journal).</summary>
    public static IReadOnlyList<JournalEntry> ReadEntries(DbConnection connection, ISqlDialect dialect)
    {
        if (!dialect.TableExists(connection, TableName))
        {
            return Array.Empty<JournalEntry>();
        }

        using var command = connection.CreateCommand(
            $"SELECT migration_id, script_name, description, checksum_sha256, down_script, applied_at FROM {TableName} ORDER BY migration_id");
        using var reader = command.ExecuteReader();
        var entries = new List<JournalEntry>();
        while (reader.Read())
        {
            entries.Add(new JournalEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3).Trim(),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                dialect.ReadTimestamp(reader, 5)!.Value));
        }

        return entries;
    }
}

/// <summary>One row of the migration journal.</summary>
internal sealed record JournalEntry(
    string MigrationId,
    string ScriptName,
    string? Description,
    string Checksum,
    string? DownScript,
    DateTime AppliedAt);
