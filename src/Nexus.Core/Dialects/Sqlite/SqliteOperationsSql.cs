using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite's side of the operations engines: PRAGMA checks, sqlite_master, file sizes, VACUUM INTO.</summary>
internal sealed class SqliteOperationsSql : IOperationsSql
{
    public CheckFinding CheckIntegrity(DbConnection connection, bool quick)
    {
        var pragma = quick ? "quick_check" : "integrity_check";
        var problems = new RowSample();
        try
        {
            foreach (var line in connection.Strings($"PRAGMA {pragma}"))
            {
                if (line != "ok")
                {
                    problems.Add(("message", line));
                }
            }
        }
        catch (SqliteException e)
        {
            // A file damaged where the check must read first makes the check itself fail.
            problems.Add(("message", e.Message));
        }

        return problems.Finding(
            $"PRAGMA {pragma} found the file consistent{(quick ? " (quick: indexes not compared with their tables)" : string.Empty)}.",
            n => $"PRAGMA {pragma} reports {n} problem(s): the store file is damaged. Stop writing to it, keep a copy of the file as it is, and restore the last good backup (or salvage what is readable with the sqlite3 shell's .recover into a new file and Import-NexusData / Copy-NexusData from there).");
    }

    public CheckFinding CheckForeignKeys(DbConnection connection) =>
        RowSample.Query(connection, "PRAGMA foreign_key_check").Finding(
            "Every foreign-key reference has its parent row (PRAGMA foreign_key_check).",
            n => $"{n} row(s) reference a parent row that does not exist (PRAGMA foreign_key_check; table, rowid, parent). They were written with foreign keys off (the sqlite3 shell's default): delete or repair them.");

    public IReadOnlySet<string> ListSchemaObjects(DbConnection connection)
    {
        var objects = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<(string Type, string Name)>();
        using (var command = connection.CreateCommand("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                entries.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (type, name) in entries)
        {
            objects.Add($"{type} {name}");
            if (type != "table")
            {
                continue;
            }

            foreach (var row in Rows(connection, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@t)", name))
            {
                objects.Add($"column {name}.{row[0]} {row[1]}{(Convert.ToInt64(row[2]) == 1 ? " not null" : string.Empty)}{(row[3] is null ? string.Empty : $" default {row[3]}")}{(Convert.ToInt64(row[4]) > 0 ? " primary key" : string.Empty)}");
            }

            foreach (var index in Rows(connection, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@t)", name))
            {
                var indexName = (string)index[0]!;
                var columns = Rows(connection, "SELECT name FROM pragma_index_info(@t) ORDER BY seqno", indexName).Select(r => r[0]);
                var label = indexName.StartsWith("sqlite_autoindex_", StringComparison.Ordinal) ? $"({index[2]})" : indexName;
                objects.Add($"index {label} on {name} ({string.Join(", ", columns)}){(Convert.ToInt64(index[1]) == 1 ? " unique" : string.Empty)}{(Convert.ToInt64(index[3]) == 1 ? " partial" : string.Empty)}");
            }

            foreach (var key in Rows(connection, "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(@t)", name))
            {
                objects.Add($"foreign key {name}.{key[0]} references {key[1]}({key[2]}) on delete {key[3]}");
            }
        }

        return objects;
    }

    public IReadOnlySet<string> ListSchemaObjectsOf(DbConnection connection, string journalDdl, IEnumerable<string> statements, StoreLayout layout)
    {
        // SQLite stores are plain only (ILayoutSql.Supports).
        using var scratch = new SqliteConnection("Data Source=:memory:");
        scratch.Open();
        scratch.Execute(journalDdl);
        foreach (var statement in statements)
        {
            scratch.Execute(statement);
        }

        return ListSchemaObjects(scratch);
    }

    public RehearsalSandbox OpenRehearsal(Func<ConnectionIntent, DbConnection> openConnection) => SqliteRehearsalSandbox.Open(openConnection);

    public StoreSizes ReadSizes(DbConnection connection, StoreTarget target, IConnectionSource source, IReadOnlyList<string> tables, bool exact, StoreLayout layout)
    {
        var journalMode = connection.Scalar<string>("PRAGMA journal_mode");
        var databaseSize = connection.Scalar<long>("PRAGMA page_count") * connection.Scalar<long>("PRAGMA page_size");
        var file = target.FilePath;
        return new StoreSizes
        {
            JournalMode = journalMode,
            DatabaseSize = databaseSize,
            FileSize = file is null ? null : File.Exists(file) ? new FileInfo(file).Length : 0,
            WalSize = file is null ? null : File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0,
            Tables = tables.Select(table => new TableSize(table,
                connection.Scalar<long>($"SELECT count(*) FROM {SqlIdentifier.Quote(table)}"), false, SizeOf(connection, table))).ToList(),
        };
    }

    private static long? SizeOf(DbConnection connection, string table)
    {
        try
        {
            // The dbstat table (when the SQLite build has it): pages of the table and its indexes.
            using var command = connection.CreateCommand("SELECT sum(pgsize) FROM dbstat WHERE name = @t OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @t)");
            command.AddParameter("@t", table);
            var value = command.ExecuteScalar();
            return value is null or DBNull ? 0 : Convert.ToInt64(value);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static List<object?[]> Rows(DbConnection connection, string sql, string name)
    {
        using var command = connection.CreateCommand(sql);
        command.AddParameter("@t", name);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
