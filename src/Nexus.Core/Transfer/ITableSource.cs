using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>Where a transfer reads rows: a store, or an export folder.</summary>
internal interface ITableSource : IDisposable
{
    /// <summary>The store's display name or the folder path.</summary>
    string Description { get; }

    /// <summary>The provider the rows come from (an export: the provider it was made from).</summary>
    StoreProvider Provider { get; }

    /// <summary>The schema revision of the rows.</summary>
    string SchemaRevision { get; }

    /// <summary>The columns of the table that the source has, in canonical order.</summary>
    IReadOnlyList<TransferColumn> Columns(TransferTable table);

    /// <summary>How many rows the table has (for progress and time left).</summary>
    long Count(TransferTable table);

    /// <summary>The table's rows, raw; the caller converts them to canonical values.</summary>
    IEnumerable<object?[]> Read(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel);
}
