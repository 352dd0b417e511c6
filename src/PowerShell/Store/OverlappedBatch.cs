namespace Nexus.PowerShell;

/// <summary>
/// Pipeline items gathered into batches whose store work runs on a pool thread while the pipeline
/// binds the items of the next batch, so that parameter binding (PowerShell's share of a bulk
/// pipeline) and the database's share use both cores. One batch is in flight at a time, so batches
/// commit in pipeline order. The work must not call the cmdlet (no WriteObject, WriteError,
/// ShouldProcess): it returns a result that <c>finish</c> turns into output on the pipeline thread.
/// Once the pipeline is stopping (Ctrl+C) no batch is started.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <typeparam name="TResult">What the work of one batch hands back to the pipeline thread.</typeparam>
internal sealed class OverlappedBatch<T, TResult> : IDisposable
{
    private readonly List<T> _items;
    private readonly int _size;
    private readonly CancellationToken _stop;
    private readonly Func<T[], TResult> _work;
    private readonly Action<TResult> _finish;
    private Task<TResult>? _inFlight;

    /// <param name="size">Items per batch.</param>
    /// <param name="stop">The cmdlet's stop token; a stopping pipeline starts nothing more.</param>
    /// <param name="work">The store work of one batch (on a pool thread; it must not touch the cmdlet).</param>
    /// <param name="finish">Emits a batch's result (on the pipeline thread).</param>
    public OverlappedBatch(int size, CancellationToken stop, Func<T[], TResult> work, Action<TResult> finish)
    {
        _items = new List<T>(size);
        _size = size;
        _stop = stop;
        _work = work;
        _finish = finish;
    }

    /// <summary>Queues an item; a full batch is started once the one in flight has been finished.</summary>
    public void Add(T item)
    {
        _items.Add(item);
        if (_items.Count >= _size)
        {
            Start();
        }
    }

    /// <summary>Starts whatever is queued and finishes every batch (call it from EndProcessing).</summary>
    public void Flush()
    {
        Start();
        FinishInFlight();
    }

    /// <summary>Waits for a batch still in flight without emitting it (a stopped or failed pipeline).</summary>
    public void Dispose()
    {
        var inFlight = _inFlight;
        _inFlight = null;
        try
        {
            inFlight?.Wait();
        }
        catch (AggregateException)
        {
            // The pipeline is gone; its batch rolled back or committed on its own.
        }
    }

    private void Start()
    {
        FinishInFlight();
        if (_items.Count == 0 || _stop.IsCancellationRequested)
        {
            return;
        }

        var items = _items.ToArray();
        _items.Clear();
        _inFlight = Task.Run(() => _work(items));
    }

    private void FinishInFlight()
    {
        var inFlight = _inFlight;
        if (inFlight is null)
        {
            return;
        }

        _inFlight = null;
        // The work reports its own failures in its result; anything else is a bug and surfaces here.
        _finish(inFlight.GetAwaiter().GetResult());
    }
}
