namespace Nexus.Core.Dialects;

/// <summary>The store's table layout: plain, partitioned or distributed (see Store/StoreLayout).</summary>
internal partial interface ISqlDialect
{
    /// <summary>How this database reads and builds layouts.</summary>
    ILayoutSql Layout { get; }
}
