namespace Nexus.PowerShell;

/// <summary>
/// Pipeline items gathered into batches whose store work runs on pool threads while the pipeline
/// binds the items of the next batch, so that parameter binding (PowerShell's share of a bulk
/// pipeline) and the database's share use both cores. Up to <c>maxInFlight</c> batches are written
/// at once, each in its own transaction, but only while they hold no item in common (by
/// <c>sameItem</c>): a batch that shares an item with one in flight waits for it, so every item
/// ends as its last batch wrote it. Results are finished in pipeline order. The work must not call
/// the cmdlet (no WriteObject, WriteError, ShouldProcess): it returns a result that <c>finish</c>
/// turns into output on the pipeline thread. Once the pipeline is stopping (Ctrl+C) no batch is
/// started.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <typeparam name="TResult">What the work of one batch hands back to the pipeline thread.</typeparam>
internal sealed class OverlappedBatch<T, TResult> : IDisposable
{
    private readonly PipelineBatch<T> _gathered;
    private readonly int _maxInFlight;
    private readonly IEqualityComparer<T> _sameItem;
    private readonly CancellationToken _stop;
    private readonly Func<T[], TResult> _work;
    private readonly Action<TResult> _finish;

    // Items is null when one batch at a time is written (nothing to compare with).
    private readonly Queue<(HashSet<T>? Items, Task<TResult> Work)> _inFlight = new();

    /// <param name="size">Items per batch.</param>
    /// <param name="maxInFlight">Batches written at once (1 where the database has a single writer).</param>
    /// <param name="sameItem">When two items are the same record (they may not be written concurrently).</param>
    /// <param name="stop">The cmdlet's stop token; a stopping pipeline starts nothing more.</param>
    /// <param name="work">The store work of one batch (on a pool thread; it must not touch the cmdlet).</param>
    /// <param name="finish">Emits a batch's result (on the pipeline thread).</param>
    public OverlappedBatch(int size, int maxInFlight, IEqualityComparer<T> sameItem, CancellationToken stop, Func<T[], TResult> work, Action<TResult> finish)
    {
        _gathered = new PipelineBatch<T>(size, stop, Start);
        _maxInFlight = Math.Max(1, maxInFlight);
        _sameItem = sameItem;
        _stop = stop;
        _work = work;
        _finish = finish;
    }

    /// <summary>Queues an item; a full batch is started as soon as it may be.</summary>
    public void Add(T item) => _gathered.Add(item);

    /// <summary>Starts whatever is queued and finishes every batch (call it from EndProcessing).</summary>
    public void Flush()
    {
        _gathered.Flush();
        while (_inFlight.Count > 0)
        {
            FinishOldest();
        }
    }

    /// <summary>Waits for batches still in flight without emitting them (a stopped or failed pipeline).</summary>
    public void Dispose()
    {
        while (_inFlight.TryDequeue(out var batch))
        {
            try
            {
                batch.Work.Wait();
            }
            catch (AggregateException)
            {
                // The pipeline is gone; the batch rolled back or committed on its own.
            }
        }
    }

    private void Start(T[] items)
    {
        var keys = _maxInFlight > 1 ? new HashSet<T>(items, _sameItem) : null;
        while (_inFlight.Count >= _maxInFlight || _inFlight.Any(b => b.Items!.Overlaps(items)))
        {
            FinishOldest();
        }

        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _inFlight.Enqueue((keys, Task.Run(() => _work(items))));
    }

    private void FinishOldest()
    {
        var (_, work) = _inFlight.Dequeue();
        // The work reports its own failures in its result; anything else is a bug and surfaces here.
        _finish(work.GetAwaiter().GetResult());
    }
}
