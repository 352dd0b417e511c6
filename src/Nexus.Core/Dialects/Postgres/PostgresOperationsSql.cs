using System.Data.Common;
using System.Diagnostics.Metrics;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>PostgreSQL's side of the operations engines: amcheck, the catalogs, sizes, rolled-back rehearsals.</summary>
internal sealed class PostgresOperationsSql : IOperationsSql
{
    // Every object of one schema, described so that the same migrations give the same text in any
    // schema (object names unqualified: the schema is on the search path when this runs). A
    // partition (relispartition) is part of its table, not an object: its columns, index and
    // constraint copies, and the foreign-key clones PostgreSQL adds per partition of the
    // referenced table (conparentid <> 0), are left out, so a partitioned store compares with
    // its tables' definitions whatever its number of partitions. An extension's own relations
    // (Citus puts its views citus_tables and citus_schemas in public) are the extension's, not the store's.
    private const string SchemaObjectsSql = """
        SELECT CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence ' ELSE 'table ' END || c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
        UNION ALL
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'index ' || ic.relname || ' on ' || tc.relname || substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$')
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = tc.relnamespace
        WHERE n.nspname = @schema AND NOT tc.relispartition
        UNION ALL
        SELECT 'constraint ' || con.conname || ' on ' || c.relname || ' ' || pg_get_constraintdef(con.oid)
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND NOT c.relispartition AND con.conparentid = 0
        UNION ALL
        SELECT 'trigger ' || t.tgname || ' on ' || c.relname
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND NOT t.tgisinternal AND NOT c.relispartition
        """;

    public CheckFinding CheckIntegrity(DbConnection connection, bool quick)
    {
        var schema = connection.Scalar<string>(
            "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'");
        if (schema is null)
        {
            var available = connection.Scalar<long>("SELECT count(*) FROM pg_available_extensions WHERE name = 'amcheck'") > 0;
            return new CheckFinding(new RowSample(),
                available
                    ? "The amcheck extension is not installed in this database, so the indexes were not verified. A superuser (or the database owner on PostgreSQL 13+) can install it with: CREATE EXTENSION amcheck;"
                    : "The amcheck extension is not available on this server, so the indexes were not verified. Install PostgreSQL's contrib modules (Debian/Ubuntu: in postgresql-NN; RHEL: postgresqlNN-contrib), then run CREATE EXTENSION amcheck; in this database.",
                Incomplete: true);
        }

        // Indexes with storage only (relkind 'i'): a partitioned table's index ('I') is its
        // partitions' indexes, each checked itself, and amcheck refuses the parent.
        var indexes = connection.Strings("""
            SELECT ic.oid::regclass::text
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = tc.relnamespace
            JOIN pg_am a ON a.oid = ic.relam
            WHERE n.nspname = current_schema() AND a.amname = 'btree' AND i.indisvalid AND ic.relkind = 'i'
            ORDER BY 1
            """);
        var problems = new RowSample();
        foreach (var index in indexes)
        {
            // Npgsql drops the connection after a class XX (internal, corruption) error: reopen it.
            if (connection.State != System.Data.ConnectionState.Open)
            {
                connection.Open();
            }

            try
            {
                using var command = connection.CreateCommand($"SELECT {schema}.bt_index_check(@index::regclass, @heap)");
                command.AddParameter("index", index);
                command.AddParameter("heap", !quick);
                command.ExecuteNonQuery();
            }
            catch (PostgresException e)
            {
                problems.Add(("index", index), ("sqlstate", e.SqlState), ("message", e.MessageText));
            }
        }

        return problems.Finding(
            $"amcheck (bt_index_check{(quick ? string.Empty : ", with the heap check: every row is in its index")}) found all {indexes.Count} btree indexes consistent.",
            n => $"amcheck reports {n} damaged index(es). Rebuild each with REINDEX INDEX CONCURRENTLY <name>, then find the cause (storage, memory, a collation change after an operating-system upgrade).");
    }

    public CheckFinding CheckForeignKeys(DbConnection connection)
    {
        var keys = new List<(string Name, string Child, string Parent, string[] ChildColumns, string[] ParentColumns)>();
        using (var command = connection.CreateCommand("""
            SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text,
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
            FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
            WHERE con.contype = 'f' AND n.nspname = current_schema() AND con.conparentid = 0
            ORDER BY con.conname
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetFieldValue<string[]>(4)));
            }
        }

        // Only the keys declared on a table (conparentid = 0): on a partitioned store PostgreSQL adds
        // a clone per partition of either side, and a clone that points at one partition of the
        // parent would report every row kept in the others. The declared key reads through the
        // partitioned (or, on Citus, distributed) tables, so it covers every row.
        // Names come from the catalog, already quoted; values are never spliced in.
        var sample = new RowSample();
        foreach (var key in keys)
        {
            var select = string.Join(", ", key.ChildColumns.Select(c => $"c.{c}::text AS {c}"));
            var present = string.Join(" AND ", key.ChildColumns.Select(c => $"c.{c} IS NOT NULL"));
            var match = string.Join(" AND ", key.ChildColumns.Zip(key.ParentColumns, (c, p) => $"p.{p} = c.{c}"));
            sample.AddQuery(connection,
                $"SELECT @name AS constraint_name, @child AS table_name, {select} FROM {key.Child} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM {key.Parent} p WHERE {match})",
                command =>
                {
                    command.AddParameter("name", key.Name);
                    command.AddParameter("child", key.Child);
                });
        }

        return sample.Finding(
            $"Every reference of the {keys.Count} foreign key(s) has its parent row.",
            n => $"{n} row(s) reference a parent row that does not exist although the foreign key forbids it: they were written with triggers disabled (session_replication_role = replica, or ALTER TABLE … DISABLE TRIGGER ALL, as some restores do). Delete or repair them.");
    }

    public IReadOnlySet<string> ListSchemaObjects(DbConnection connection) =>
        List(connection, null, connection.Scalar<string>("SELECT current_schema()")!);

    public IReadOnlySet<string> ListSchemaObjectsOf(DbConnection connection, string journalDdl, IEnumerable<string> statements, StoreLayout layout)
    {
        // DDL is transactional here: build the schema in a scratch schema and roll it all back.
        var scratch = "nexus_health_" + Guid.NewGuid().ToString("N")[..12];
        using var transaction = connection.BeginTransaction();
        try
        {
            connection.Execute($"CREATE SCHEMA {scratch}", transaction);
            connection.Execute($"SET LOCAL search_path TO {scratch}", transaction);
            connection.Execute(journalDdl, transaction);
            foreach (var statement in statements)
            {
                connection.Execute(statement, transaction);
            }

            if (layout.IsTenantKeyed)
            {
                // The layout's tables in place of the migrations' (Convert-NexusStore swaps them the
                // same way): declared only, no partition or shard, as the listing leaves those out.
                connection.Execute("DROP TABLE IF EXISTS file_metadata, file_paths, content_chunks", transaction);
                connection.Execute(PostgresLayoutSql.KeyedTablesScript(layout), transaction);
            }

            return List(connection, transaction, scratch);
        }
        finally
        {
            transaction.Rollback();
        }
    }

    public RehearsalSandbox OpenRehearsal(Func<ConnectionIntent, DbConnection> openConnection) => PostgresRehearsalSandbox.Open(openConnection);

    public StoreSizes ReadSizes(DbConnection connection, StoreTarget target, IConnectionSource source, IReadOnlyList<string> tables, bool exact, StoreLayout layout)
    {
        var databaseSize = connection.Scalar<long>("SELECT pg_database_size(current_database())");
        var sizes = new List<TableSize>();
        foreach (var table in tables)
        {
            var citus = layout.Kind == StoreLayoutKind.Distributed && IsCitusTable(connection, table);
            // A partitioned table holds nothing itself: its rows and bytes are its partitions'
            // (pg_partition_tree; a table that is not partitioned is read as before). reltuples is -1
            // until a table is first vacuumed or analyzed: one such partition, and the rows are counted;
            // so are partitions that all say 0 (a conversion leaves them so until autovacuum comes).
            using var command = connection.CreateCommand(citus
                ? "SELECT -1::bigint, citus_total_relation_size(c.oid), quote_ident(c.relname), false FROM pg_class c WHERE c.oid = to_regclass(quote_ident(@t))"
                : """
                  SELECT CASE WHEN c.relkind <> 'p' THEN c.reltuples::bigint
                              ELSE coalesce((SELECT CASE WHEN bool_and(p.reltuples >= 0) AND sum(p.reltuples) > 0 THEN sum(p.reltuples)::bigint ELSE -1 END
                                               FROM pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf), -1) END,
                         CASE WHEN c.relkind <> 'p' THEN pg_total_relation_size(c.oid)
                              ELSE coalesce((SELECT sum(pg_total_relation_size(t.relid))::bigint FROM pg_partition_tree(c.oid) t), 0) END,
                         quote_ident(c.relname), c.relispartition
                  FROM pg_class c WHERE c.oid = to_regclass(quote_ident(@t))
                  """);
            command.AddParameter("t", table);
            long estimate;
            long size;
            string quoted;
            bool partition;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                (estimate, size, quoted, partition) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3));
            }

            if (partition)
            {
                continue;   // counted in its table's rows and size
            }

            // A Citus table's rows are on the workers (the coordinator's statistics describe its
            // empty shell): counted, a query Citus runs on every shard at once.
            var estimated = !exact && estimate >= 0;
            sizes.Add(new TableSize(table, estimated ? estimate : connection.Scalar<long>($"SELECT count(*) FROM {quoted}"), estimated, size));
        }

        var (inUse, idle) = ReadPool(((PostgresConnectionSource)source).DataSource);
        return new StoreSizes { DatabaseSize = databaseSize, Tables = sizes, PoolInUse = inUse, PoolIdle = idle };
    }

    // Read only on a distributed store, where Citus's catalog exists.
    private static bool IsCitusTable(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass(quote_ident(@t)))");
        command.AddParameter("t", table);
        return (bool)command.ExecuteScalar()!;
    }

    private static HashSet<string> List(DbConnection connection, DbTransaction? transaction, string schema)
    {
        using var command = connection.CreateCommand(SchemaObjectsSql, transaction);
        command.AddParameter("schema", schema);
        using var reader = command.ExecuteReader();
        var objects = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            objects.Add(reader.GetString(0));
        }

        return objects;
    }

    /// <summary>
    /// The pool's connections in use and idle, from Npgsql's db.client.connection.count metric
    /// (tagged with the pool's name: the connection string without its password). Null when the
    /// driver reports nothing for this pool.
    /// </summary>
    private static (int? InUse, int? Idle) ReadPool(NpgsqlDataSource dataSource)
    {
        var pools = new Dictionary<string, (int? Used, int? Idle)>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.connection.count")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };

        void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? pool = null;
            string? state = null;
            foreach (var tag in tags)
            {
                if (tag.Key.EndsWith("pool.name", StringComparison.Ordinal))
                {
                    pool = tag.Value?.ToString();
                }
                else if (tag.Key.EndsWith("state", StringComparison.Ordinal))
                {
                    state = tag.Value?.ToString();
                }
            }

            if (pool is null)
            {
                return;
            }

            pools.TryGetValue(pool, out var counts);
            pools[pool] = state == "used" ? (Used: (int)value, counts.Idle) : state == "idle" ? (counts.Used, Idle: (int)value) : counts;
        }

        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return pools.TryGetValue(dataSource.ConnectionString, out var mine) ? mine : (null, null);
    }
}
