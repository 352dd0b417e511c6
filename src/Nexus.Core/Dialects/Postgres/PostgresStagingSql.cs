using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL's side of a load through staging tables. The staging schema holds tables the
/// module's migrations built; the store's own tables may be replaced by them only when the
/// catalog shows nothing on the store's tables that the staging ones lack (see
/// <see cref="WhyNotReplaceable"/>): anything else (a grant, a view, a trigger, a publication)
/// would be lost or break when the tables are dropped. The swap is DDL in one transaction, so a
/// killed process leaves either the old tables or the new ones, never a mix.
/// </summary>
internal sealed class PostgresStagingSql : IStagingSql
{
    public string HomeSchema(DbConnection connection) =>
        connection.Scalar<string>("SELECT current_schema()") ?? throw new NexusException(NexusErrorKind.SchemaMismatch,
            "The connection has no current schema (search_path names no existing schema).", null);

    // A session advisory lock per database, on the schema's name (the migration lock uses another key).
    public bool TryLockStaging(DbConnection connection, string staging) =>
        connection.Scalar<bool>($"SELECT pg_try_advisory_lock(hashtext({Literal("nexus staging " + staging)}))");

    public void UnlockStaging(DbConnection connection, string staging) =>
        connection.Execute($"SELECT pg_advisory_unlock(hashtext({Literal("nexus staging " + staging)}))");

    public bool DropStaging(DbConnection connection, string staging)
    {
        var existed = connection.Scalar<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = {Literal(staging)}") > 0;
        if (existed)
        {
            using var command = connection.CreateCommand($"DROP SCHEMA {Ident(staging)} CASCADE");
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }

        return existed;
    }

    public bool MayCreateSchema(DbConnection connection) =>
        connection.Scalar<bool>("SELECT has_database_privilege(current_database(), 'CREATE')");

    public void CreateStaging(DbConnection connection, string staging) =>
        connection.Execute($"CREATE SCHEMA {Ident(staging)}");

    public StoreTarget StagingTarget(StoreTarget home, string staging)
    {
        var builder = new NpgsqlConnectionStringBuilder(home.ConnectionString) { SearchPath = Ident(staging) };
        return ConnectionStringParser.ForDirectPostgres(builder.ConnectionString);
    }

    public string? WhyNotReplaceable(DbConnection connection, DbTransaction? transaction, string home, string staging, IReadOnlyList<string> tables)
    {
        foreach (var table in tables)
        {
            var homeTable = $"{Ident(home)}.{Ident(table)}";
            var stagingTable = $"{Ident(staging)}.{Ident(table)}";
            if (connection.Scalar<string>($"SELECT to_regclass({Literal(homeTable)})::text", transaction) is null)
            {
                continue;   // nothing there to lose
            }

            if (connection.Scalar<bool>($"SELECT EXISTS (SELECT 1 FROM {homeTable})", transaction))
            {
                return $"{table} holds rows";
            }

            var reason = connection.Scalar<string>(
                $"""
                SELECT CASE
                  WHEN h.relowner <> s.relowner THEN 'it is owned by ' || pg_get_userbyid(h.relowner) || ', not by ' || current_user
                  WHEN h.relacl IS DISTINCT FROM s.relacl THEN 'it has grants (' || array_to_string(h.relacl, ', ') || ')'
                  WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = h.oid AND a.attacl IS NOT NULL) THEN 'it has column grants'
                  WHEN h.relrowsecurity OR h.relforcerowsecurity THEN 'it has row-level security enabled'
                  WHEN h.reloptions IS DISTINCT FROM s.reloptions THEN 'it has storage options (' || array_to_string(h.reloptions, ', ') || ')'
                  WHEN h.relreplident <> s.relreplident THEN 'its replica identity was changed'
                  WHEN EXISTS (SELECT 1 FROM pg_publication_tables p WHERE p.schemaname = {Literal(home)} AND p.tablename = {Literal(table)})
                    THEN 'it is in the publication ' || (SELECT string_agg(p.pubname, ', ') FROM pg_publication_tables p WHERE p.schemaname = {Literal(home)} AND p.tablename = {Literal(table)})
                  WHEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' collate ' || a.attcollation::text, ''), ', ' ORDER BY a.attname)
                          FROM pg_attribute a WHERE a.attrelid = h.oid AND a.attnum > 0 AND NOT a.attisdropped)
                       IS DISTINCT FROM
                       (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' collate ' || a.attcollation::text, ''), ', ' ORDER BY a.attname)
                          FROM pg_attribute a WHERE a.attrelid = s.oid AND a.attnum > 0 AND NOT a.attisdropped)
                    THEN 'its columns differ from those the module''s migrations create'
                END
                  FROM pg_class h, pg_class s
                 WHERE h.oid = {Literal(homeTable)}::regclass AND s.oid = {Literal(stagingTable)}::regclass
                """,
                transaction);
            if (reason is not null)
            {
                return $"{table}: {reason}";
            }

            // Everything else that depends on the table (views, rules, triggers, policies,
            // indexes, foreign keys from other tables, statistics objects, owned sequences) is in
            // pg_depend; the staging table shows what the migrations themselves create.
            var extra = Dependents(connection, transaction, homeTable, home);
            foreach (var expected in Dependents(connection, transaction, stagingTable, staging))
            {
                extra.Remove(expected);
            }

            var named = extra.Distinct().ToList();
            if (named.Count > 0)
            {
                return $"{table}: {string.Join("; ", named)} depend{(named.Count == 1 ? "s" : string.Empty)} on it and would be lost";
            }
        }

        return null;
    }

    public IStagedKeys StripKeys(DbConnection stagingConnection) => PostgresStagedKeys.Strip((NpgsqlConnection)stagingConnection);

    public IStagedDigest Digest(IReadOnlyList<BulkColumn> columns) => new PostgresRowDigest(columns);

    public BulkSink OpenLoad(DbConnection stagingConnection) => new PostgresBulkSink(stagingConnection, keysDropped: true);

    public void Swap(DbConnection connection, string home, string staging, IReadOnlyList<string> tables, string journal)
    {
        using var transaction = connection.BeginTransaction();
        connection.Execute("SET LOCAL lock_timeout = '60s'", transaction);
        var existing = tables.Append(journal)
            .Where(t => connection.Scalar<string>($"SELECT to_regclass({Literal($"{Ident(home)}.{Ident(t)}")})::text", transaction) is not null)
            .Select(t => $"{Ident(home)}.{Ident(t)}")
            .ToList();
        if (existing.Count > 0)
        {
            connection.Execute($"LOCK TABLE {string.Join(", ", existing)} IN ACCESS EXCLUSIVE MODE", transaction);
        }

        // Someone may have written or granted between the first check and the lock.
        if (WhyNotReplaceable(connection, transaction, home, staging, tables) is { } reason)
        {
            throw new NexusException(NexusErrorKind.Busy,
                $"The destination changed while the copy was loading ({reason}); its tables were left as they were. Run the copy again.", home);
        }

        if (existing.Count > 0)
        {
            connection.Execute($"DROP TABLE {string.Join(", ", existing)}", transaction);
        }

        foreach (var table in tables.Append(journal))
        {
            connection.Execute($"ALTER TABLE {Ident(staging)}.{Ident(table)} SET SCHEMA {Ident(home)}", transaction);
        }

        // What else the migrations made in the staging schema (0004's alembic_version: the real one
        // is already in the home schema) goes with it; nothing outside it depends on those.
        connection.Execute($"DROP SCHEMA {Ident(staging)} CASCADE", transaction);
        transaction.Commit();
    }

    public void Analyze(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand($"ANALYZE {Ident(table)}");
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    /// <summary>What depends on a table, described with its schema name left out (toast tables, named by oid, are not counted).</summary>
    private static List<string> Dependents(DbConnection connection, DbTransaction? transaction, string table, string schema)
    {
        using var command = connection.CreateCommand(
            $"""
            SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
              FROM pg_depend d
             WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = {Literal(table)}::regclass
               AND d.deptype IN ('n', 'a')
               AND NOT (d.classid = 'pg_class'::regclass AND EXISTS (SELECT 1 FROM pg_class t WHERE t.oid = d.objid AND t.relkind = 't'))
            """,
            transaction);
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            // pg_describe_object names the schema (quoted only where needed) when it is not current.
            list.Add(reader.GetString(0).Replace(Ident(schema) + ".", string.Empty, StringComparison.Ordinal).Replace(schema + ".", string.Empty, StringComparison.Ordinal));
        }

        return list;
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
