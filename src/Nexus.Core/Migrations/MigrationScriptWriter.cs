using System.Text;
using Nexus.Core.Dialects;
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
        var dialect = SqlDialects.For(provider);
        var framing = dialect.Migration.OfflineScript;
        var text = new StringBuilder();
        text.Append("-- Nexus migration script (").Append(framing.Engine).Append(") for ").Append(store).Append('\n');
        text.Append("-- From ").Append(from).Append(" to ").Append(target).Append(", by Nexus.Core ").Append(MigrationJournal.ModuleVersion).Append('\n');
        if (steps.Count == 0)
        {
            text.Append("-- Nothing to do: the store is already at the target.\n");
            return text.ToString();
        }

        text.Append(framing.Prologue);
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
                    text.Append(dialect.JournalTableDdl.Trim()).Append(";\n");
                    journalCreated = true;
                }

                text.Append($"INSERT INTO {MigrationJournal.TableName} (migration_id, script_name, description, checksum_sha256, down_script, down_checksum_sha256, applied_at, module_version)\n");
                text.Append($"VALUES ({Literal(migration.Id)}, {Literal(migration.ScriptName)}, {Literal(migration.Description)}, {Literal(migration.Checksum)}, {Literal(migration.DownScript)}, {Literal(migration.DownChecksum)}, {framing.Now}, {Literal(MigrationJournal.ModuleVersion)});\n");
            }

            text.Append(framing.StepCheck);
            text.Append("COMMIT;\n");
        }

        text.Append(framing.Epilogue);
        return text.ToString();
    }

    private static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''") + "'";
}
