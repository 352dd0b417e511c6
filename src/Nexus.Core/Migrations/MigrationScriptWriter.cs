using System.Text;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Offline SQL (alembic's --sql): the planned steps as one script a DBA can read or run by hand,
/// each step in its own transaction together with its journal insert or delete.
/// </summary>
internal static class MigrationScriptWriter
{
    public static string Write(StoreProvider provider, IReadOnlyList<MigrationStep> steps, string store, string from, string target)
    {
        var sqlite = provider == StoreProvider.Sqlite;
        var text = new StringBuilder();
        text.Append("-- Nexus migration script (").Append(sqlite ? "SQLite" : "PostgreSQL").Append(") for ").Append(store).Append('\n');
        text.Append("-- From ").Append(from).Append(" to ").Append(target).Append(", by Nexus.Core ").Append(MigrationJournal.ModuleVersion).Append('\n');
        if (steps.Count == 0)
        {
            text.Append("-- Nothing to do: the store is already at the target.\n");
            return text.ToString();
        }

        if (sqlite)
        {
            // Table rebuilds must not fire ON DELETE CASCADE; the pragma only works outside a transaction.
            text.Append("PRAGMA foreign_keys=OFF;\n");
        }

        var journalCreated = false;
        foreach (var step in steps)
        {
            text.Append('\n').Append("-- ").Append(step.ScriptName).Append(" (").Append(step.Direction.ToString().ToLowerInvariant()).Append(")\n");
            text.Append("BEGIN;\n");
            text.Append(step.Script.TrimEnd()).Append('\n');
            if (step.Direction == MigrationDirection.Down)
            {
                text.Append($"DELETE FROM {MigrationJournal.TableName} WHERE migration_id = {Literal(step.Id)};\n");
            }
            else
            {
                var migration = step.Migration!;
                if (!journalCreated)
                {
                    text.Append(Dialects.SqlDialects.For(provider).JournalTableDdl.Trim()).Append(";\n");
                    journalCreated = true;
                }

                var now = sqlite ? "strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')" : "now()";
                text.Append($"INSERT INTO {MigrationJournal.TableName} (migration_id, script_name, description, checksum_sha256, down_script, down_checksum_sha256, applied_at, module_version)\n");
                text.Append($"VALUES ({Literal(migration.Id)}, {Literal(migration.ScriptName)}, {Literal(migration.Description)}, {Literal(migration.Checksum)}, {Literal(migration.DownScript)}, {Literal(migration.DownChecksum)}, {now}, {Literal(MigrationJournal.ModuleVersion)});\n");
            }

            if (sqlite)
            {
                text.Append("PRAGMA foreign_key_check;\n");
            }

            text.Append("COMMIT;\n");
        }

        if (sqlite)
        {
            text.Append("\nPRAGMA foreign_keys=ON;\n");
        }

        return text.ToString();
    }

    private static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''") + "'";
}
