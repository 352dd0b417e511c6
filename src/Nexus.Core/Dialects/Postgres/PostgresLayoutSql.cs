using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Layouts on PostgreSQL. The keyed layouts' tables come from Layouts/tenant_keyed.sql (an
/// embedded resource, Nexus.Layouts.tenant_keyed.sql).
/// </summary>
internal sealed class PostgresLayoutSql : ILayoutSql
{
    // The catalog is the record that cannot drift from the tables: a partitioned file_paths
    // (relkind 'p') and its partitions, or a hash-distributed one in Citus's metadata and its
    // shards. One statement, as it runs whenever a store is opened: Citus's tables exist only
    // where the extension is, so they are read through query_to_xml (dynamic SQL; volatile, so
    // evaluated on that branch only) and the count is taken back out of its text.
    private const string ReadCatalogSql = """
        SELECT c.relkind = 'p',
               (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::int,
               CASE WHEN c.relkind <> 'p' AND to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL
                    THEN substring(query_to_xml(format(
                        'SELECT count(*) AS n FROM pg_dist_partition p JOIN pg_dist_shard s ON s.logicalrelid = p.logicalrelid WHERE p.logicalrelid = %s::oid AND p.partmethod = ''h''',
                        c.oid), false, true, '')::text FROM '<n>(\d+)</n>')::int
                    ELSE 0 END
        FROM pg_class c WHERE c.oid = to_regclass('file_paths')
        """;

    public bool Supports(StoreLayoutKind kind) => true;

    public StoreLayout Read(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ReadCatalogSql;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return StoreLayout.Plain;   // no tables yet
        }

        if (reader.GetBoolean(0))
        {
            return new StoreLayout(StoreLayoutKind.Partitioned, reader.GetInt32(1));
        }

        var shards = reader.GetInt32(2);
        return shards > 0 ? new StoreLayout(StoreLayoutKind.Distributed, shards) : StoreLayout.Plain;
    }

    /// <summary>
    /// tenant_keyed.sql in <paramref name="schema"/>, then the layout's own part: for partitioned,
    /// <c>PARTITION BY HASH (tenant_id)</c> and N hash partitions of file_paths and file_metadata
    /// (file_paths_p00, ...); for distributed, Citus distributes file_paths by tenant_id into N
    /// shards, file_metadata colocated with it, and makes content_chunks a reference table (a copy
    /// on every node: see docs/LAYOUTS.md for the measurement that chose it). The first statement
    /// sets the search path for the transaction, so run them all in one transaction. The plain
    /// tables are the migrations' own (Layouts/ builds them with the migration runner), not here.
    /// </summary>
    public IReadOnlyList<string> CreateTables(StoreLayout layout, string schema)
    {
        if (!layout.IsTenantKeyed)
        {
            throw new ArgumentException("The plain tables are made by the module's migrations, not by a layout script.", nameof(layout));
        }

        if (layout.Partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout.Partitions, "A keyed layout needs at least one partition or shard.");
        }

        var partitioned = layout.Kind == StoreLayoutKind.Partitioned;
        var statements = new List<string> { $"SET LOCAL search_path TO {Ident(schema)}" };
        // The script as one multi-statement command (PostgreSQL runs it in order).
        statements.Add(KeyedTablesScript(layout));
        if (partitioned)
        {
            foreach (var table in PartitionedTables)
            {
                for (var i = 0; i < layout.Partitions; i++)
                {
                    statements.Add($"CREATE TABLE {Ident(schema)}.{PartitionName(table, i, layout.Partitions)} PARTITION OF {Ident(schema)}.{table} FOR VALUES WITH (MODULUS {layout.Partitions}, REMAINDER {i})");
                }
            }
        }
        else
        {
            var filePaths = Literal($"{Ident(schema)}.file_paths");
            statements.Add($"SELECT create_distributed_table({filePaths}, 'tenant_id', shard_count => {layout.Partitions})");
            statements.Add($"SELECT create_distributed_table({Literal($"{Ident(schema)}.file_metadata")}, 'tenant_id', colocate_with => {filePaths})");
            statements.Add($"SELECT create_reference_table({Literal($"{Ident(schema)}.content_chunks")})");
        }

        return statements;
    }

    /// <summary>
    /// tenant_keyed.sql for <paramref name="layout"/> as one command, in the current schema: the
    /// declared tables only (partitioned by tenant, or plain ones that Citus would distribute),
    /// without partitions or shards. What a healthy keyed store's catalog declares.
    /// </summary>
    internal static string KeyedTablesScript(StoreLayout layout) =>
        TenantKeyedScript.Replace("{partition_by}", layout.Kind == StoreLayoutKind.Partitioned ? " PARTITION BY HASH (tenant_id)" : string.Empty, StringComparison.Ordinal);

    /// <summary>The name of partition <paramref name="index"/> of <paramref name="table"/>: file_paths_p00 (two digits at least, more when there are more partitions).</summary>
    public static string PartitionName(string table, int index, int count) =>
        $"{table}_p{index.ToString(new string('0', Math.Max(2, (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length)), System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The tables a keyed layout splits by tenant (content_chunks has no tenant).</summary>
    internal static IReadOnlyList<string> PartitionedTables { get; } = ["file_paths", "file_metadata"];

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(PostgresLayoutSql).Assembly.GetManifestResourceStream("Nexus.Layouts.tenant_keyed.sql")
            ?? throw new InvalidOperationException("The embedded resource Nexus.Layouts.tenant_keyed.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static string TenantKeyedScript => Script.Value;

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
