using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>PostgreSQL holds every layout (distributed needs the citus extension).</summary>
internal sealed partial class PostgresDialect
{
    // Partitioned and distributed share their tables' form (Layouts/tenant_keyed.sql), so one
    // statement set serves both: a tenant named in a statement prunes to one partition on
    // PostgreSQL and routes to one shard on Citus.
    private readonly PostgresStoreSql _keyedStore = new(tenantKeyed: true);

    public ILayoutSql Layout { get; } = new PostgresLayoutSql();

    public IStoreSql StoreFor(StoreLayout layout) => layout.IsTenantKeyed ? _keyedStore : Store;
}
