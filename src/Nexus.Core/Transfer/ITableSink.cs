namespace Nexus.Core.Transfer;

/// <summary>
/// Where a transfer writes rows: a store (inside one transaction for the whole transfer) or an
/// export folder. Nothing is visible to others until <see cref="Commit"/>; disposing without it
/// rolls everything back.
/// </summary>
internal interface ITableSink : IDisposable
{
    /// <summary>The store's display name or the folder path.</summary>
    string Description { get; }

    /// <summary>Checks the sink can take the table with these columns, before any row is read.</summary>
    void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns);

    /// <summary>Starts writing one table.</summary>
    void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns);

    /// <summary>Writes one canonical row; returns it as stored (under -Merge the destination's own ids).</summary>
    object?[] Write(object?[] row);

    /// <summary>Ends the current table.</summary>
    void End();

    /// <summary>Work after every table is loaded and before verification (PostgreSQL: rebuild indexes).</summary>
    void FinishLoad(Action<string> phase);

    /// <summary>The rows as the destination now holds them (inside the transaction), raw.</summary>
    IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel);

    /// <summary>Makes the transfer durable and visible.</summary>
    void Commit(IReadOnlyList<TableTransferResult> results);
}
