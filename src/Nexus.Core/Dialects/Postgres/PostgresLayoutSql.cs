using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Layouts on PostgreSQL. The keyed layouts' tables come from Layouts/tenant_keyed.sql (an
/// embedded resource, Nexus.Layouts.tenant_keyed.sql).
/// </summary>
internal sealed class PostgresLayoutSql : ILayoutSql
{
    public bool Supports(StoreLayoutKind kind) => true;

    // TODO(layout-engines): read the catalog (relkind 'p' = partitioned; pg_dist_partition = distributed).
    public StoreLayout Read(DbConnection connection) => StoreLayout.Plain;

    // TODO(layout-convert): tenant_keyed.sql plus partitions / create_distributed_table.
    public IReadOnlyList<string> CreateTables(StoreLayout layout, string schema) =>
        throw new NotImplementedException("CreateTables is being written (layout-convert).");
}
