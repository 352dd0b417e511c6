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
/// Foreign keys are checked before each step is kept by the migration session, not here.
/// </summary>
internal sealed class MigrationJournal : IJournal
{
    public const string TableName = JournalTable.Name;

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
            check.CommandText = _dialect.Migration.TableCountSql(TableName);
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

        using var command = (DbCommand)dbCommandFactory();
        WriteRow(command, _dialect, migration, null);
    }

    /// <summary>Records a migration as applied (the command carries the connection and transaction).</summary>
    public static void WriteRow(DbCommand command, ISqlDialect dialect, Migration migration, string? description)
    {
        command.CommandText = $"""
            INSERT INTO {TableName} (migration_id, script_name, description, checksum_sha256, down_script, down_checksum_sha256, applied_at, module_version)
            VALUES (@id, @name, @description, @checksum, @down, @downChecksum, @appliedAt, @moduleVersion)
            """;
        command.AddParameter("@id", migration.Id);
        command.AddParameter("@name", migration.ScriptName);
        command.AddParameter("@description", description ?? migration.Description);
        command.AddParameter("@checksum", migration.Checksum);
        command.AddParameter("@down", migration.DownScript);
        command.AddParameter("@downChecksum", migration.DownChecksum);
        dialect.AddTimestamp(command, "@appliedAt", DbTime.UtcNow());
        command.AddParameter("@moduleVersion", ModuleVersion);
        command.ExecuteNonQuery();
    }

    /// <summary>Removes a migration's row once its down script has run (same transaction).</summary>
    public static void DeleteRow(DbConnection connection, DbTransaction? transaction, string migrationId)
    {
        using var command = connection.CreateCommand($"DELETE FROM {TableName} WHERE migration_id = @id", transaction);
        command.AddParameter("@id", migrationId);
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
    public static IReadOnlyList<JournalEntry> ReadEntries(DbConnection connection, ISqlDialect dialect, DbTransaction? transaction = null)
    {
        if (!dialect.TableExists(connection, TableName))
        {
            return Array.Empty<JournalEntry>();
        }

        using var command = connection.CreateCommand(
            $"SELECT migration_id, script_name, description, checksum_sha256, down_script, applied_at, down_checksum_sha256 FROM {TableName} ORDER BY migration_id", transaction);
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
                dialect.ReadTimestamp(reader, 5)!.Value,
                reader.IsDBNull(6) ? null : reader.GetString(6).Trim()));
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
    DateTime AppliedAt,
    string? DownChecksum)
{
    /// <summary>The down script checked against its journaled checksum; null when there is no down script.</summary>
    public ChecksumState? DownScriptState => DownScript is null ? null : ScriptChecksum.Verify(DownScript, DownChecksum);
}
