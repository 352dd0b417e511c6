using System.Collections.Concurrent;

namespace Nexus.Core.Transfer;

/// <summary>
/// Two threads over a bounded queue of row batches: a producer on a pool thread, the consumer on
/// the calling thread (where progress and log callbacks may run). At most a few batches are in
/// memory at once. A failure on either side stops the other and is rethrown here.
/// </summary>
internal static class RowPipeline
{
    private const int QueuedBatches = 4;

    /// <param name="produce">Reads rows and hands each to the emitter it is given.</param>
    /// <param name="consume">Handles one batch on the calling thread.</param>
    public static void Run(Action<Action<object?[]>, CancellationToken> produce, Action<List<object?[]>> consume, int batchSize, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var queue = new BlockingCollection<List<object?[]>>(QueuedBatches);
        var producer = Task.Run(() =>
        {
            try
            {
                var batch = new List<object?[]>(batchSize);
                produce(
                    row =>
                    {
                        batch.Add(row);
                        if (batch.Count == batchSize)
                        {
                            queue.Add(batch, stop.Token);
                            batch = new List<object?[]>(batchSize);
                        }
                    },
                    stop.Token);
                if (batch.Count > 0)
                {
                    queue.Add(batch, stop.Token);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(stop.Token))
            {
                consume(batch);
            }
        }
        catch
        {
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // The consumer's failure is the one to report.
            }

            throw;
        }

        try
        {
            producer.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
    }
}
