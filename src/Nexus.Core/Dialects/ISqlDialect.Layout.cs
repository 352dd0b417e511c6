using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The store's table layout: plain, partitioned or distributed (see Store/StoreLayout).</summary>
internal partial interface ISqlDialect
{
    /// <summary>How this database reads and builds layouts.</summary>
    ILayoutSql Layout { get; }

    /// <summary>
    /// The store engines' statements for a store of <paramref name="layout"/>: <see cref="Store"/>
    /// for plain; on a tenant-keyed layout, statements that write file_metadata.tenant_id and
    /// name the tenant wherever it is known, so that one partition or shard answers.
    /// </summary>
    IStoreSql StoreFor(StoreLayout layout);
}
