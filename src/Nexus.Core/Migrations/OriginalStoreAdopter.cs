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

    /// <summary>PostgreSQL data types each kind of original column may have.</summary>
    private static readonly string[] TextTypes = { "character varying", "text", "character", "uuid" };
    private static readonly string[] NumberTypes = { "integer", "bigint", "smallint", "numeric" };
    private static readonly string[] TimeTypes = { "timestamp without time zone", "timestamp with time zone" };
    private static readonly string[] JsonTypes = { "text", "character varying", "json", "jsonb" };

    /// <summary>True when the store holds the original tables but nothing in this module's journal.</summary>
    public static bool IsOriginalStore(DbConnection connection, ISqlDialect dialect, IReadOnlyList<JournalEntry> journal) =>
        journal.Count == 0 && Tables.Any(t => dialect.TableExists(connection, t));

    /// <summary>
    /// Checks tables and columns, then converts; throws naming any mismatch before changing anything.
    /// Returns notes for the operator: each path the module's -Path cannot name, with its fix.
    /// </summary>
    public static IReadOnlyList<string> Adopt(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, Migration initial, MigrationOptions options, Action<string>? log)
    {
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
        ClearAside(connection, transaction, dialect);
        foreach (var table in Tables)
        {
            Run(connection, transaction, $"ALTER TABLE {table} RENAME TO {AsidePrefix}{table}");
        }

        foreach (var statement in SqlStatementSplitter.Split(initial.UpScript))
        {
            Run(connection, transaction, WithOriginalDefaults(statement, dialect));
        }

        var notes = new List<string>();
        var keepText = options.KeepOriginalTypes && dialect.Provider == StoreProvider.PostgreSql;
        if (dialect.Provider == StoreProvider.PostgreSql)
        {
            Run(connection, transaction, $"ALTER TABLE file_metadata ALTER COLUMN updated_at SET DEFAULT {PostgresNow}");
            if (keepText)
            {
                Run(connection, transaction, $"DROP INDEX {ValueIndex}");
                Run(connection, transaction, "ALTER TABLE file_metadata ALTER COLUMN value TYPE text");
                notes.Add("file_metadata.value was kept as the original's JSON text (-KeepOriginalTypes), so the original system keeps reading attributes; the module queries it too (containment through a cast, without the GIN index). "
                    + "Once the original no longer runs on this store, convert it with: Invoke-NexusMigration -ConvertOriginalTypes");
            }
            else
            {
                notes.Add("file_metadata.value is now jsonb (with a GIN index). The original system reads values with json.loads and cannot read them from jsonb: "
                    + "if it still runs on this store, its attribute reads fail. To keep it working, adopt a copy made before this with -KeepOriginalTypes.");
            }
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
            if (dialect.Provider == StoreProvider.Sqlite)
            {
                CopySqlite(connection, table, shape[table]);
            }
            else
            {
                CopyPostgres(connection, transaction, table, shape[table], keepText);
            }

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

    /// <summary>The GIN index migration 0001 gives jsonb values.</summary>
    private const string ValueIndex = "idx_file_metadata_value_gin";

    /// <summary>
    /// PostgreSQL: file_metadata.value from JSON text (kept at adoption) to jsonb with migration 0001's
    /// GIN index. False when it is jsonb already (or the store is SQLite, where JSON is always text).
    /// </summary>
    public static bool ConvertValueToJsonb(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, Action<string>? log)
    {
        if (dialect.Provider != StoreProvider.PostgreSql
            || Convert.ToString(Scalar(connection, transaction,
                "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'file_metadata' AND column_name = 'value'")) != "text")
        {
            log?.Invoke("file_metadata.value is not JSON text kept from the original store; nothing to convert.");
            return false;
        }

        Run(connection, transaction, "ALTER TABLE file_metadata ALTER COLUMN value TYPE jsonb USING value::jsonb");
        Run(connection, transaction, $"CREATE INDEX {ValueIndex} ON file_metadata USING gin (value jsonb_path_ops)");
        log?.Invoke("Converted file_metadata.value from JSON text to jsonb and created its GIN index.");
        return true;
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

    /// <summary>
    /// The original keeps running beside the module on an adopted store and inserts attributes
    /// without updated_at (its file_metadata has no such column): on an adopted store that column
    /// defaults to the time of the insert, so the original's inserts succeed and read back through
    /// the cmdlets with that time. SQLite cannot add a default to an existing column, so its
    /// file_metadata is created with it; migration 0001's script itself is never changed.
    /// </summary>
    private static string WithOriginalDefaults(string statement, ISqlDialect dialect)
    {
        if (dialect.Provider != StoreProvider.Sqlite || !statement.TrimStart().StartsWith("CREATE TABLE file_metadata ", StringComparison.Ordinal))
        {
            return statement;
        }

        const string column = "updated_at  TEXT NOT NULL";
        var at = statement.LastIndexOf(column, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new NexusException(NexusErrorKind.MigrationFailed,
                "Adoption could not give file_metadata.updated_at its default: migration 0001's file_metadata no longer has the expected column; nothing was changed.", "Adopt");
        }

        return statement.Insert(at + column.Length, $" DEFAULT ({SqliteNow})");
    }

    /// <summary>The time of an insert in the form the module writes (ISO-8601 UTC; SQLite keeps milliseconds).</summary>
    internal const string SqliteNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    private const string PostgresNow = "now()";

    private static Dictionary<string, Dictionary<string, string>> ReadShape(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect)
    {
        var shape = new Dictionary<string, Dictionary<string, string>>();
        foreach (var table in Tables)
        {
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            using var command = connection.CreateCommand(dialect.Provider == StoreProvider.Sqlite
                ? "SELECT name, lower(type) FROM pragma_table_info(@table)"
                : "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table", transaction);
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

            if (dialect.Provider == StoreProvider.PostgreSql)
            {
                foreach (var (column, type) in actual.Where(c => Columns[table].Contains(c.Key)))
                {
                    var allowed = Timestamps.Contains(column) ? TimeTypes
                        : column is "size_bytes" or "ref_count" ? NumberTypes
                        : column == "value" ? JsonTypes
                        : TextTypes;
                    if (!allowed.Contains(type))
                    {
                        problems.Add($"{table}.{column} is {type}, expected {string.Join(" or ", allowed)}");
                    }
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
        var sqlite = dialect.Provider == StoreProvider.Sqlite;
        var checks = new List<(string Sql, string Problem)>
        {
            ("SELECT count(*) FROM (SELECT path_id, key FROM file_metadata GROUP BY path_id, key HAVING count(*) > 1) d",
                "file_metadata holds {0} (path_id, key) pair(s) with more than one row; this module keeps one value per key. Remove the duplicates first"),
            ($"SELECT count(*) FROM file_paths n WHERE n.tenant_id IS NULL AND EXISTS (SELECT 1 FROM file_paths d WHERE d.tenant_id = '{Tenants.Default}' AND d.virtual_path = n.virtual_path)",
                $"{{0}} path(s) without a tenant also exist under tenant '{Tenants.Default}', which adoption gives them. Rename or remove one of each pair first"),
            ("SELECT count(*) FROM file_metadata m WHERE NOT EXISTS (SELECT 1 FROM file_paths p WHERE p.path_id = m.path_id)",
                "file_metadata holds {0} row(s) whose path_id has no file_paths row. Remove them first"),
        };
        if (sqlite)
        {
            checks.Add(("SELECT count(*) FROM file_metadata WHERE value IS NOT NULL AND NOT json_valid(value)",
                "file_metadata holds {0} value(s) that are not valid JSON"));
        }
        else
        {
            const string uuid = "'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$'";
            foreach (var (table, column) in new[] { ("file_paths", "path_id"), ("file_metadata", "metadata_id"), ("file_metadata", "path_id"), ("content_chunks", "chunk_id") })
            {
                checks.Add(($"SELECT count(*) FROM {table} WHERE {column}::text !~ {uuid}", $"{table}.{column} holds {{0}} value(s) that are not UUIDs"));
            }
        }

        var problems = new List<string>();
        foreach (var (sql, problem) in checks)
        {
            var count = Convert.ToInt64(Scalar(connection, transaction, sql));
            if (sql.Contains("json_valid", StringComparison.Ordinal))
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

    /// <summary>Drops the old tables' own indexes and constraints, whose names may collide with 0001's.</summary>
    private static void ClearAside(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect)
    {
        if (dialect.Provider == StoreProvider.Sqlite)
        {
            foreach (var index in Strings(connection, transaction,
                         "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('file_paths', 'file_metadata', 'content_chunks')"))
            {
                Run(connection, transaction, $"DROP INDEX \"{index}\"");
            }

            return;
        }

        // Foreign keys first, then the rest; then plain indexes.
        foreach (var row in Strings(connection, transaction, """
                     SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.conrelid::regclass::text, c.conname)
                     FROM pg_constraint c
                     WHERE c.conrelid IN ('file_paths'::regclass, 'file_metadata'::regclass, 'content_chunks'::regclass) AND c.contype IN ('f', 'u', 'c', 'p')
                     ORDER BY c.contype <> 'f', c.conname
                     """))
        {
            Run(connection, transaction, row);
        }

        foreach (var row in Strings(connection, transaction, """
                     SELECT format('DROP INDEX %I', i.indexrelid::regclass::text)
                     FROM pg_index i
                     WHERE i.indrelid IN ('file_paths'::regclass, 'file_metadata'::regclass, 'content_chunks'::regclass)
                     """))
        {
            Run(connection, transaction, row);
        }
    }

    private static void CopyPostgres(DbConnection connection, DbTransaction? transaction, string table, Dictionary<string, string> old, bool keepText)
    {
        var target = Columns[table];
        var select = target.Select(column =>
        {
            if (!old.TryGetValue(column, out var type))
            {
                // file_metadata without updated_at: a value was last written when it was created.
                return Timestamp("created_at", old["created_at"]);
            }

            return column switch
            {
                _ when Ids.Contains(column) || (table == "file_metadata" && column == "path_id") => $"{column}::text::uuid",
                "tenant_id" => $"COALESCE({column}, '{Tenants.Default}')",
                "value" => keepText ? $"{column}::text" : $"{column}::text::jsonb",
                "size_bytes" when table == "file_paths" => $"COALESCE({column}, 0)",
                "ref_count" => $"COALESCE({column}, 1)",
                _ when Timestamps.Contains(column) => Timestamp(column, type),
                _ => column,
            };
        });
        Run(connection, transaction,
            $"INSERT INTO {table} ({string.Join(", ", target)}) SELECT {string.Join(", ", select)} FROM {AsidePrefix}{table}");
    }

    /// <summary>Naive timestamps were written in UTC by the original system.</summary>
    private static string Timestamp(string column, string type) =>
        type == "timestamp with time zone" ? column : $"{column} AT TIME ZONE 'UTC'";

    private static void CopySqlite(DbConnection connection, string table, Dictionary<string, string> old)
    {
        var target = Columns[table];
        var sources = target.Select(c => old.ContainsKey(c) ? c : "created_at").ToList();
        using var read = connection.CreateCommand($"SELECT {string.Join(", ", sources)} FROM {AsidePrefix}{table}");
        using var insert = connection.CreateCommand(
            $"INSERT INTO {table} ({string.Join(", ", target)}) VALUES ({string.Join(", ", target.Select((_, i) => $"@p{i}"))})");
        var parameters = target.Select((_, i) => insert.AddParameter($"@p{i}", null)).ToArray();
        insert.Prepare();
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            for (var i = 0; i < target.Length; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                parameters[i].Value = target[i] switch
                {
                    "tenant_id" => value ?? Tenants.Default,
                    "size_bytes" when table == "file_paths" => value ?? 0L,
                    "ref_count" => value ?? 1L,
                    // Kept as the original wrote them ('2024-03-01 08:30:15.123456' or ISO-8601 with T/Z):
                    // the module reads both, and the original's reader keeps reading its own rows.
                    var c when Timestamps.Contains(c) && value is not null => CheckedSqliteTime(value, table, c),
                    _ => value ?? DBNull.Value,
                };
            }

            insert.ExecuteNonQuery();
        }
    }

    /// <summary>An original timestamp as its text, after checking that the module can read it.</summary>
    private static string CheckedSqliteTime(object value, string table, string column)
    {
        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        try
        {
            DbTime.FromSqliteText(text);
        }
        catch (FormatException)
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"{table}.{column} holds '{text}', which is not a timestamp; nothing was changed.", "Adopt", hint: "Correct or clear that value first.");
        }

        return text;
    }

    private static long Count(DbConnection connection, DbTransaction? transaction, string table) =>
        Convert.ToInt64(Scalar(connection, transaction, $"SELECT count(*) FROM {table}"));

    private static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand(sql, transaction);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static List<string> Strings(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand(sql, transaction);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static void Run(DbConnection connection, DbTransaction? transaction, string sql) => connection.Execute(sql, transaction);
}
