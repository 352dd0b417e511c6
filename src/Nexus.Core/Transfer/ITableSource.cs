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

    /// <summary>
    /// The rows of <paramref name="table"/> whose JSON column <paramref name="json"/> may hold NaN
    /// or Infinity (at least those; the caller checks each), raw. Unless the source can narrow
    /// them down where they are, every row.
    /// </summary>
    IEnumerable<object?[]> ReadNonFiniteCandidates(TransferTable table, IReadOnlyList<TransferColumn> columns, TransferColumn json, CancellationToken cancel) =>
        Read(table, columns, cancel);
}
