using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL's side of a layout conversion. Rows move with INSERT ... SELECT inside the server;
/// the swap is DDL in the copy's own transaction, so a killed process leaves the old tables or the
/// new ones, never a mix (and the work schema, which the next run drops).
/// </summary>
internal sealed class PostgresLayoutConversionSql : ILayoutConversionSql
{
    private const string HasCitusSql = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')";

    public string? WhyNotAvailable(DbConnection connection, StoreLayoutKind kind)
    {
        if (kind != StoreLayoutKind.Distributed || connection.Scalar<bool>(HasCitusSql))
        {
            return null;
        }

        var available = connection.Scalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citus')");
        return available
            ? "the citus extension is installed on the server but not created in this database"
            : "the server has no citus extension";
    }

    public IReadOnlyList<string> StripForLoad(DbConnection connection, string work, IReadOnlyList<string> tables)
    {
        // The foreign keys (not the copies PostgreSQL makes of them per partition: conparentid).
        var keys = connection.Strings(
            $"""
            SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', {Literal(work)}, c.relname, k.conname, pg_get_constraintdef(k.oid))
                   || E'\n' || format('ALTER TABLE %I.%I DROP CONSTRAINT %I', {Literal(work)}, c.relname, k.conname)
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
             WHERE k.contype = 'f' AND k.conparentid = 0
               AND c.relnamespace = {Literal(work)}::regnamespace AND c.relname = ANY ({ArrayLiteral(tables)})
             ORDER BY c.relname, k.conname
            """);
        foreach (var pair in keys)
        {
            connection.Execute(pair.Split('\n')[1]);
        }


        // On a partitioned table the definition reads "ON ONLY parent"; without ONLY, the build
        // recurses into the partitions, as the original CREATE INDEX did.
        var rebuild = connection.Strings(
            $"""
            SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relnamespace = {Literal(work)}::regnamespace AND c.relname = ANY ({ArrayLiteral(tables)})
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname, i.indexrelid::regclass::text
            """);
        var names = connection.Strings(
            $"""
            SELECT format('%I.%I', {Literal(work)}, x.relname)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
             WHERE c.relnamespace = {Literal(work)}::regnamespace AND c.relname = ANY ({ArrayLiteral(tables)})
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            """);
        foreach (var name in names)
        {
            connection.Execute($"DROP INDEX {name}");   // one at a time: Citus drops one distributed object per command
        }

        // Indexes first, then the foreign keys (their check reads the parent's keys).
        return rebuild.Concat(keys.Select(pair => pair.Split('\n')[0])).ToList();
    }

    public void BeginConversion(DbConnection connection, DbTransaction transaction)
    {
        // Writers queue behind the copy, not for ever: a lock that is not free within a minute
        // (a long transaction writing to the store) stops the conversion with nothing changed.
        connection.Execute("SET LOCAL lock_timeout = '60s'", transaction);
        connection.Execute("SET LOCAL maintenance_work_mem = '256MB'", transaction);   // the index builds after the copy
        // A killed client's copy stops within a second (PostgreSQL 14+ checks the socket while a
        // statement runs), instead of running to its end while a rerun waits for its locks.
        connection.Execute("SELECT set_config('client_connection_check_interval', '1000', true) WHERE current_setting('server_version_num')::int >= 140000", transaction);
        if (connection.Scalar<bool>(HasCitusSql, transaction))
        {
            // Citus refuses DDL on tables a transaction already wrote over several connections
            // per node; the swap follows the copy in one transaction, so one connection per node.
            connection.Execute("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'", transaction);
        }
    }

    public void BlockWriters(DbConnection connection, DbTransaction transaction, string home, IReadOnlyList<string> tables) =>
        connection.Execute($"LOCK TABLE {string.Join(", ", tables.Select(t => $"{Ident(home)}.{Ident(t)}"))} IN SHARE MODE", transaction);

    public long CopyRows(DbConnection connection, DbTransaction transaction, string from, string to, string table, IReadOnlyList<string> columns, bool fromKeyed, bool toKeyed, CancellationToken cancel)
    {
        var list = string.Join(", ", columns.Select(Ident));
        var source = $"{Ident(from)}.{Ident(table)}";
        string sql;
        if (table == "file_metadata" && toKeyed)
        {
            // A keyed file_metadata carries its file's tenant: the source's own column, or that of
            // the file_paths row the attribute belongs to (the foreign key makes the join total).
            var select = string.Join(", ", columns.Select(c => "m." + Ident(c)));
            sql = fromKeyed
                ? $"INSERT INTO {Ident(to)}.{Ident(table)} ({list}, tenant_id) SELECT {select}, m.tenant_id FROM {source} m"
                : $"INSERT INTO {Ident(to)}.{Ident(table)} ({list}, tenant_id) SELECT {select}, p.tenant_id FROM {source} m JOIN {Ident(from)}.file_paths p ON p.path_id = m.path_id";
        }
        else
        {
            sql = $"INSERT INTO {Ident(to)}.{Ident(table)} ({list}) SELECT {list} FROM {source}";
        }

        using var command = connection.CreateCommand(sql, transaction);
        command.CommandTimeout = 0;
        using var stop = cancel.Register(() =>
        {
            try
            {
                command.Cancel();
            }
            catch (Exception)
            {
                // The connection is going away; rolling back is all that is left.
            }
        });
        return command.ExecuteNonQuery();
    }

    public void UseSchema(DbConnection connection, DbTransaction transaction, string schema) =>
        connection.Execute($"SET LOCAL search_path TO {Ident(schema)}", transaction);

    public void Swap(DbConnection connection, DbTransaction transaction, string home, string work, IReadOnlyList<string> tables, StoreLayout layout)
    {
        var old = tables.Where(t => connection.Scalar<string>($"SELECT to_regclass({Literal($"{Ident(home)}.{Ident(t)}")})::text", transaction) is not null)
            .Select(t => $"{Ident(home)}.{Ident(t)}")
            .ToList();
        // Children first, one at a time (Citus drops one distributed object per command).
        // Partitions go with their parents; anything else that depends on the old tables (a
        // view, a foreign key from another table) makes this fail and the transaction roll back.
        foreach (var table in Enumerable.Reverse(old))
        {
            connection.Execute($"DROP TABLE {table}", transaction);
        }

        var moving = connection.Strings(
            $"""
            SELECT c.relname
              FROM pg_class c
             WHERE c.relnamespace = {Literal(work)}::regnamespace AND c.relkind IN ('r', 'p')
               AND (c.relname = ANY ({ArrayLiteral(tables)})
                    OR EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                                WHERE i.inhrelid = c.oid AND p.relnamespace = c.relnamespace AND p.relname = ANY ({ArrayLiteral(tables)})))
             ORDER BY c.relname
            """,
            transaction);
        foreach (var table in moving)
        {
            connection.Execute($"ALTER TABLE {Ident(work)}.{Ident(table)} SET SCHEMA {Ident(home)}", transaction);
        }

        var comment = layout.Kind switch
        {
            StoreLayoutKind.Partitioned => Literal($"Nexus layout: partitioned, {layout.Partitions} partitions"),
            StoreLayoutKind.Distributed => Literal($"Nexus layout: distributed, {layout.Partitions} shards"),
            _ => "NULL",   // the plain tables are exactly the migrations' (which comment nothing on file_paths)
        };
        connection.Execute($"COMMENT ON TABLE {Ident(home)}.file_paths IS {comment}", transaction);

        // What else the work schema holds (the migrations' journal and alembic_version of a
        // plain rebuild) goes with it; nothing outside it depends on those.
        connection.Execute($"DROP SCHEMA {Ident(work)} CASCADE", transaction);
    }

    private static string ArrayLiteral(IEnumerable<string> names) => $"ARRAY[{string.Join(", ", names.Select(Literal))}]::name[]";

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
