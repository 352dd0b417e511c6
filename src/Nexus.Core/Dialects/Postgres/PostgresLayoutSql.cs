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
    // (relkind 'p') and its partitions, or a hash-distributed one in Citus's metadata and its shards.
    private const string ReadCatalogSql = """
        SELECT c.relkind = 'p',
               (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::int,
               to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL
        FROM pg_class c WHERE c.oid = to_regclass('file_paths')
        """;

    private const string ReadShardsSql = """
        SELECT count(s.shardid)::int FROM pg_dist_partition p LEFT JOIN pg_dist_shard s ON s.logicalrelid = p.logicalrelid
        WHERE p.logicalrelid = to_regclass('file_paths') AND p.partmethod = 'h'
        GROUP BY p.logicalrelid
        """;

    public bool Supports(StoreLayoutKind kind) => true;

    public StoreLayout Read(DbConnection connection)
    {
        bool partitioned, citus;
        int partitions;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = ReadCatalogSql;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return StoreLayout.Plain;   // no tables yet
            }

            partitioned = reader.GetBoolean(0);
            partitions = reader.GetInt32(1);
            citus = reader.GetBoolean(2);
        }

        if (partitioned)
        {
            return new StoreLayout(StoreLayoutKind.Partitioned, partitions);
        }

        if (!citus)
        {
            return StoreLayout.Plain;
        }

        using var shards = connection.CreateCommand();
        shards.CommandText = ReadShardsSql;
        return shards.ExecuteScalar() is int count ? new StoreLayout(StoreLayoutKind.Distributed, count) : StoreLayout.Plain;
    }

    // TODO(layout-convert): tenant_keyed.sql plus partitions / create_distributed_table.
    public IReadOnlyList<string> CreateTables(StoreLayout layout, string schema) =>
        throw new NotImplementedException("CreateTables is being written (layout-convert).");
}
