using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Brings a store made by the original Python Nexus (SQLAlchemy create_all or Alembic: text ids,
/// JSON as text, naive timestamps, nullable tenant) under this module: checks that its three
/// tables have exactly the original columns, then in one transaction renames them aside, creates
/// migration 0001's tables, copies every row across converted (uuid, jsonb, UTC timestamps, NULL
/// tenant → <see cref="Tenants.Default"/>), drops the old tables and journals 0001 as applied.
/// </summary>
internal static class OriginalStoreAdopter
{
    public static readonly string[] Tables = { "file_paths", "file_metadata", "content_chunks" };

    private const string AsidePrefix = "nexus_adopt_";

    /// <summary>The original columns per table; updated_at on file_metadata came later, so it may be absent.</summary>
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["file_paths"] = new[] { "path_id", "tenant_id", "virtual_path", "backend_id", "physical_path", "file_type", "size_bytes", "content_hash", "created_at", "updated_at", "deleted_at" },
        ["file_metadata"] = new[] { "metadata_id", "path_id", "key", "value", "created_at", "updated_at" },
        ["content_chunks"] = new[] { "chunk_id", "content_hash", "size_bytes", "storage_path", "ref_count", "created_at", "last_accessed_at" },
    };

    private static readonly HashSet<string> Optional = new() { "file_metadata.updated_at" };
    private static readonly HashSet<string> Timestamps = new() { "created_at", "updated_at", "deleted_at", "last_accessed_at" };
    private static readonly HashSet<string> Ids = new() { "path_id", "metadata_id", "chunk_id" };

    /// <summary>What an original column holds, which decides its allowed types and its conversion.</summary>
    private static OriginalColumnKind Kind(string table, string column) => column switch
    {
        _ when Ids.Contains(column) || (table == "file_metadata" && column == "path_id") => OriginalColumnKind.Id,
        _ when Timestamps.Contains(column) => OriginalColumnKind.Time,
        "size_bytes" or "ref_count" => OriginalColumnKind.Number,
        "value" => OriginalColumnKind.Json,
        _ => OriginalColumnKind.Text,
    };

    /// <summary>What a NULL the original allowed becomes in migration 0001's NOT NULL column (null: stays NULL).</summary>
    private static object? WhenNull(string table, string column) => column switch
    {
        "tenant_id" => Tenants.Default,
        "size_bytes" when table == "file_paths" => 0L,
        "ref_count" => 1L,
        _ => null,
    };

    /// <summary>True when the store holds the original tables but nothing in this module's journal.</summary>
    public static bool IsOriginalStore(DbConnection connection, ISqlDialect dialect, IReadOnlyList<JournalEntry> journal) =>
        journal.Count == 0 && Tables.Any(t => dialect.TableExists(connection, t));

    /// <summary>
    /// Checks tables and columns, then converts; throws naming any mismatch before changing anything.
    /// Returns notes for the operator: each path the module's -Path cannot name, with its fix.
    /// </summary>
    public static IReadOnlyList<string> Adopt(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, Migration initial, MigrationOptions options, Action<string>? log)
    {
        var sql = dialect.Migration;
        var shape = ReadShape(connection, transaction, dialect);
        CheckShape(shape, dialect);
        var nonFinite = FindNonFinite(connection, transaction, options.NonFiniteNumbers);
        CheckData(connection, transaction, dialect, shape, nonFinite.Count);

        var alembic = dialect.TableExists(connection, "alembic_version")
            ? Scalar(connection, transaction, "SELECT max(version_num) FROM alembic_version")
            : null;
        log?.Invoke(alembic is null
            ? "The store was made by the original Nexus (no alembic_version table); adopting it as migration 0001."
            : $"The store was made by the original Nexus at alembic revision {alembic}; adopting it as migration 0001.");

        var counts = Tables.ToDictionary(t => t, t => Count(connection, transaction, t));
        // The old tables' own indexes and constraints go first: their names may collide with 0001's.
        sql.ClearOwnIndexes(connection, transaction, Tables);
        foreach (var table in Tables)
        {
            Run(connection, transaction, $"ALTER TABLE {table} RENAME TO {AsidePrefix}{table}");
        }

        // The original keeps running beside the module on an adopted store and inserts attributes
        // without updated_at (its file_metadata has no such column): on an adopted store that column
        // defaults to the time of the insert, so the original's inserts succeed and read back through
        // the cmdlets with that time. Migration 0001's script itself is never changed.
        foreach (var statement in SqlStatementSplitter.Split(initial.UpScript))
        {
            Run(connection, transaction, sql.WithInsertTimeDefault(statement));
        }

        var notes = new List<string>();
        var (keepText, typeNote) = sql.AfterAdoptedTablesCreated(connection, transaction, options.KeepOriginalTypes);
        if (typeNote is not null)
        {
            notes.Add(typeNote);
        }

        foreach (var value in nonFinite)
        {
            using var update = connection.CreateCommand($"UPDATE {AsidePrefix}file_metadata SET value = @value WHERE CAST(metadata_id AS TEXT) = @id", transaction);
            update.AddParameter("@value", value.Quoted);
            update.AddParameter("@id", value.MetadataId);
            update.ExecuteNonQuery();
            notes.Add($"Attribute '{value.Key}' of {PowerShellQuote(value.Path)} (tenant '{value.Tenant}') held {value.Count} NaN/Infinity/-Infinity number(s); stored as JSON strings (-NonFiniteNumbers AsString).");
        }

        foreach (var table in Tables)
        {
            sql.CopyAdoptedRows(connection, transaction, AsidePrefix + table, table, AdoptedColumns(table, shape[table]), keepText);
            var copied = Count(connection, transaction, table);
            if (copied != counts[table])
            {
                throw new NexusException(NexusErrorKind.MigrationFailed,
                    $"Adoption copied {copied} of {counts[table]} rows of {table}; nothing was changed.", table);
            }

            log?.Invoke($"Adopted {copied} row(s) of {table}.");
        }

        foreach (var table in new[] { "file_metadata", "file_paths", "content_chunks" })
        {
            Run(connection, transaction, $"DROP TABLE {AsidePrefix}{table}");
        }

        Run(connection, transaction, dialect.JournalTableDdl);
        using var journal = connection.CreateCommand(string.Empty, transaction);
        MigrationJournal.WriteRow(journal, dialect, initial,
            $"{initial.Description} (adopted from the original Nexus store{(alembic is null ? string.Empty : $", alembic revision {alembic}")})");
        notes.AddRange(UnnormalizedPaths(connection, transaction));
        return notes;
    }

    /// <summary>An original attribute value holding NaN/Infinity/-Infinity, and its text with them quoted.</summary>
    private sealed record NonFiniteValue(string MetadataId, string Tenant, string Path, string Key, string Quoted, int Count);

    /// <summary>
    /// Finds the original's attribute values that hold NaN, Infinity or -Infinity (Python's json.dumps
    /// writes them; JSON has no such numbers). Refuse: throws naming every path and key, before
    /// anything changed. AsString: returns them, to be stored with each as a JSON string.
    /// </summary>
    private static List<NonFiniteValue> FindNonFinite(DbConnection connection, DbTransaction? transaction, NonFiniteNumbers policy)
    {
        var found = new List<NonFiniteValue>();
        using (var command = connection.CreateCommand("""
                   SELECT CAST(m.metadata_id AS TEXT), COALESCE(CAST(p.tenant_id AS TEXT), ''), p.virtual_path, m.key, CAST(m.value AS TEXT)
                   FROM file_metadata m JOIN file_paths p ON p.path_id = m.path_id
                   WHERE CAST(m.value AS TEXT) LIKE '%NaN%' OR CAST(m.value AS TEXT) LIKE '%Infinity%'
                   ORDER BY p.virtual_path, m.key
                   """, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var (quoted, count) = NonFiniteJson.Quote(reader.GetString(4));
                if (count > 0)
                {
                    found.Add(new NonFiniteValue(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), quoted, count));
                }
            }
        }

        if (found.Count > 0 && policy == NonFiniteNumbers.Refuse)
        {
            var where = string.Join("; ", found.Select(v => $"{PowerShellQuote(v.Path)} (tenant '{v.Tenant}') key '{v.Key}'"));
            throw new NexusException(NexusErrorKind.InvalidData,
                $"{found.Count} attribute value(s) the original wrote hold NaN, Infinity or -Infinity, which JSON cannot hold, so the store was not adopted and nothing was changed: {where}.",
                "Adopt", hint: "Adopt with -NonFiniteNumbers AsString to store each as the JSON string \"NaN\", \"Infinity\" or \"-Infinity\" (each is reported), or correct those values first.");
        }

        return found;
    }

    /// <summary>
    /// file_metadata.value from JSON text (kept at adoption with -KeepOriginalTypes) to the database's
    /// JSON type with migration 0001's index. False when there is nothing to convert (already
    /// converted, or a database where JSON is always text).
    /// </summary>
    public static bool ConvertOriginalTypes(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, Action<string>? log)
    {
        var converted = dialect.Migration.ConvertJsonTextValues(connection, transaction);
        log?.Invoke(converted ?? "file_metadata.value is not JSON text kept from the original store; nothing to convert.");
        return converted is not null;
    }

    /// <summary>
    /// The original accepts paths the module's rules refuse ('/a//b', '/a/b/', '/a/./b', a tab, 'a/b').
    /// They are adopted as they are and reachable with -LiteralPath; each is named with the command
    /// that would give it the normalized path.
    /// </summary>
    private static List<string> UnnormalizedPaths(DbConnection connection, DbTransaction? transaction)
    {
        var notes = new List<string>();
        using var command = connection.CreateCommand("SELECT tenant_id, virtual_path FROM file_paths ORDER BY tenant_id, virtual_path", transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (tenant, path) = (reader.GetString(0), reader.GetString(1));
            if (PathRules.Problem(path, isPrefix: false) is { } problem)
            {
                notes.Add($"The path {PowerShellQuote(path)} of tenant '{tenant}' {problem}: -Path cannot name it, -LiteralPath can. "
                    + $"To normalize it: Rename-NexusMetadata -Tenant '{tenant}' -LiteralPath {PowerShellQuote(path)} -NewPath {PowerShellQuote(PathRules.Normalized(path))}");
            }
        }

        return notes;
    }

    /// <summary>Text as a PowerShell string literal: single-quoted, or double-quoted with escapes when it holds control characters.</summary>
    internal static string PowerShellQuote(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return "'" + text.Replace("'", "''") + "'";
        }

        var quoted = new System.Text.StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\t' => "`t",
                '\n' => "`n",
                '\r' => "`r",
                '`' or '"' or '$' => "`" + c,
                _ when char.IsControl(c) => $"`u{{{(int)c:x}}}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static Dictionary<string, Dictionary<string, string>> ReadShape(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect)
    {
        var shape = new Dictionary<string, Dictionary<string, string>>();
        foreach (var table in Tables)
        {
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            using var command = connection.CreateCommand(dialect.Migration.ColumnTypesSql, transaction);
            command.AddParameter("@table", table);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns[reader.GetString(0)] = reader.GetString(1);
            }

            shape[table] = columns;
        }

        return shape;
    }

    private static void CheckShape(Dictionary<string, Dictionary<string, string>> shape, ISqlDialect dialect)
    {
        var problems = new List<string>();
        foreach (var table in Tables)
        {
            var actual = shape[table];
            if (actual.Count == 0)
            {
                problems.Add($"table {table} is missing");
                continue;
            }

            foreach (var column in Columns[table].Where(c => !actual.ContainsKey(c) && !Optional.Contains($"{table}.{c}")))
            {
                problems.Add($"{table}.{column} is missing");
            }

            foreach (var column in actual.Keys.Where(c => !Columns[table].Contains(c)))
            {
                problems.Add($"{table}.{column} is not an original column");
            }

            foreach (var (column, type) in actual.Where(c => Columns[table].Contains(c.Key)))
            {
                // Only where the database keeps declared types (SQLite's are names, not rules).
                if (dialect.Migration.OriginalTypes(Kind(table, column)) is { } allowed && !allowed.Contains(type))
                {
                    problems.Add($"{table}.{column} is {type}, expected {string.Join(" or ", allowed)}");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The store does not have the original Nexus shape, so it was not adopted and nothing was changed: {string.Join("; ", problems)}.", "Adopt");
        }
    }

    private static void CheckData(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, Dictionary<string, Dictionary<string, string>> shape, int nonFiniteFixed)
    {
        var checks = new List<(string Sql, string Problem, bool NotJson)>
        {
            ("SELECT count(*) FROM (SELECT path_id, key FROM file_metadata GROUP BY path_id, key HAVING count(*) > 1) d",
                "file_metadata holds {0} (path_id, key) pair(s) with more than one row; this module keeps one value per key. Remove the duplicates first", false),
            ($"SELECT count(*) FROM file_paths n WHERE n.tenant_id IS NULL AND EXISTS (SELECT 1 FROM file_paths d WHERE d.tenant_id = '{Tenants.Default}' AND d.virtual_path = n.virtual_path)",
                $"{{0}} path(s) without a tenant also exist under tenant '{Tenants.Default}', which adoption gives them. Rename or remove one of each pair first", false),
            ("SELECT count(*) FROM file_metadata m WHERE NOT EXISTS (SELECT 1 FROM file_paths p WHERE p.path_id = m.path_id)",
                "file_metadata holds {0} row(s) whose path_id has no file_paths row. Remove them first", false),
        };
        if (dialect.Migration.NotJsonCondition("value") is { } notJson)
        {
            checks.Add(($"SELECT count(*) FROM file_metadata WHERE {notJson}",
                "file_metadata holds {0} value(s) that are not valid JSON", true));
        }

        foreach (var table in Tables)
        {
            foreach (var column in Columns[table].Where(c => Kind(table, c) == OriginalColumnKind.Id))
            {
                if (dialect.Migration.NotUuidCondition(column) is { } notUuid)
                {
                    checks.Add(($"SELECT count(*) FROM {table} WHERE {notUuid}", $"{table}.{column} holds {{0}} value(s) that are not UUIDs", false));
                }
            }
        }

        var problems = new List<string>();
        foreach (var (sql, problem, notJsonCheck) in checks)
        {
            var count = Convert.ToInt64(Scalar(connection, transaction, sql));
            if (notJsonCheck)
            {
                count -= nonFiniteFixed; // not JSON as written, JSON once their NaN/Infinity are strings (-NonFiniteNumbers AsString)
            }

            if (count > 0)
            {
                problems.Add(string.Format(problem, count));
            }
        }

        if (problems.Count > 0)
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"The original store's rows cannot be adopted as they are, so nothing was changed: {string.Join("; ", problems)}.", "Adopt");
        }
    }

    /// <summary>The columns of migration 0001's <paramref name="table"/> and where each comes from in the original one.</summary>
    private static List<AdoptedColumn> AdoptedColumns(string table, Dictionary<string, string> old) =>
        Columns[table].Select(column => old.TryGetValue(column, out var type)
                ? new AdoptedColumn(column, column, type, Kind(table, column), WhenNull(table, column))
                // file_metadata without updated_at: a value was last written when it was created.
                : new AdoptedColumn(column, "created_at", old["created_at"], OriginalColumnKind.Time, null))
            .ToList();

    private static long Count(DbConnection connection, DbTransaction? transaction, string table) =>
        Convert.ToInt64(Scalar(connection, transaction, $"SELECT count(*) FROM {table}"));

    private static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand(sql, transaction);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static void Run(DbConnection connection, DbTransaction? transaction, string sql) => connection.Execute(sql, transaction);
}
