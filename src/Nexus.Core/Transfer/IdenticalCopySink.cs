namespace Nexus.Core.Transfer;

/// <summary>
/// Compares instead of writing: the transfer reads and checksums the source as usual, writes
/// nothing, and reads the destination's tables back (through the destination's own sink, inside
/// its transaction). When every checksum matches, the destination already holds this very copy
/// (say a copy killed between its commit and its exit, run again). Nothing is ever committed.
/// </summary>
internal sealed class IdenticalCopySink(DatabaseSink destination) : ITableSink
{
    public string Description => destination.Description;

    public void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns) => destination.Prepare(table, columns);

    public void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
    }

    public object?[] Write(object?[] row) => row;

    public void End()
    {
    }

    public void FinishLoad(Action<string> phase)
    {
    }

    public IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        destination.ReadBack(table, columns, cancel);

    public void Commit(IReadOnlyList<TableTransferResult> results)
    {
    }

    public void Dispose()
    {
    }
}
