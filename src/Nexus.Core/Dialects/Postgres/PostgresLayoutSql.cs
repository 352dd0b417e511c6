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

    // TODO(layout-convert): tenant_keyed.sql plus partitions / create_distributed_table.
    public IReadOnlyList<string> CreateTables(StoreLayout layout, string schema) =>
        throw new NotImplementedException("CreateTables is being written (layout-convert).");
}
