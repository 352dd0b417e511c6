namespace Nexus.PowerShell;

/// <summary>
/// Pipeline items gathered so that the store sees one statement or transaction per batch, never
/// one per item. Once the pipeline is stopping (Ctrl+C) nothing more is handed on, so no batch is
/// started half-way through a stop.
/// </summary>
internal sealed class PipelineBatch<T>
{
    private readonly List<T> _items;
    private readonly int _size;
    private readonly CancellationToken _stop;
    private readonly Action<T[]> _write;

    /// <param name="size">Items per batch.</param>
    /// <param name="stop">The cmdlet's stop token; a stopping pipeline writes nothing more.</param>
    /// <param name="write">Writes one batch (on the pipeline thread).</param>
    public PipelineBatch(int size, CancellationToken stop, Action<T[]> write)
    {
        _items = new List<T>(size);
        _size = size;
        _stop = stop;
        _write = write;
    }

    /// <summary>Queues an item, writing the batch once it is full.</summary>
    public void Add(T item)
    {
        _items.Add(item);
        if (_items.Count >= _size)
        {
            Flush();
        }
    }

    /// <summary>Writes whatever is queued (call it from EndProcessing, and before a change of context).</summary>
    public void Flush()
    {
        if (_items.Count == 0 || _stop.IsCancellationRequested)
        {
            return;
        }

        var items = _items.ToArray();
        _items.Clear();
        _write(items);
    }
}
