using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// What the store work of one batch, run off the pipeline thread, hands back to be written out in
/// order: the objects stored and the errors of single items as they happened, the store failure
/// that ended the batch (the cmdlet terminates with it), and how many items were stored.
/// </summary>
/// <typeparam name="TOut">The objects the cmdlet emits.</typeparam>
internal sealed class BatchOutcome<TOut>
{
    private readonly List<(IReadOnlyList<TOut>? Stored, NexusException? Error, object? Target)> _steps = new();

    /// <summary>A store failure (not about one item) that ended the batch, or null.</summary>
    public NexusException? Failure { get; set; }

    /// <summary>The target the failure is reported against.</summary>
    public object? FailureTarget { get; set; }

    /// <summary>How many items were stored.</summary>
    public int StoredCount { get; private set; }

    /// <summary>Items stored; <paramref name="stored"/> is what to emit (empty without -PassThru).</summary>
    public void AddStored(int count, IReadOnlyList<TOut> stored)
    {
        StoredCount += count;
        _steps.Add((stored, null, null));
    }

    /// <summary>An item that could not be stored; the rest of the batch goes on.</summary>
    public void AddItemError(NexusException error, object? target) => _steps.Add((null, error, target));

    /// <summary>
    /// Runs the store work of one batch (on a pool thread) and collects what it did. The work adds
    /// its steps only once its transaction committed. When the database refuses an item (an item
    /// error for the whole batch), the batch is stored again one item at a time, so that the bad
    /// item alone is reported and every good one is kept. A store failure ends the batch; Ctrl+C
    /// (the transaction rolled back) ends it quietly.
    /// </summary>
    /// <param name="batch">The items.</param>
    /// <param name="store">Stores items in one transaction and adds their steps to the outcome.</param>
    /// <param name="target">What an item's error is reported against.</param>
    /// <param name="isItemError">Whether an error kind is about an item rather than the store.</param>
    public static BatchOutcome<TOut> Store<T>(T[] batch, Action<T[], BatchOutcome<TOut>> store, Func<T, object?> target, Func<NexusErrorKind, bool> isItemError)
    {
        var outcome = new BatchOutcome<TOut>();
        try
        {
            store(batch, outcome);
        }
        catch (NexusException e) when (isItemError(e.Kind))
        {
            if (batch.Length == 1)
            {
                outcome.AddItemError(e, target(batch[0]));
                return outcome;
            }

            foreach (var item in batch)
            {
                try
                {
                    store(new[] { item }, outcome);
                }
                catch (NexusException one) when (isItemError(one.Kind))
                {
                    outcome.AddItemError(one, target(item));
                }
                catch (NexusException failure)
                {
                    outcome.Failure = failure;
                    outcome.FailureTarget = target(item);
                    break;
                }
                catch (OperationCanceledException)
                {
                    break; // Ctrl+C: that item's transaction was rolled back
                }
            }
        }
        catch (NexusException failure)
        {
            outcome.Failure = failure;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the transaction was rolled back
        }

        return outcome;
    }

    /// <summary>Writes the steps in order through the cmdlet's callbacks (on the pipeline thread).</summary>
    public void Replay(Action<TOut> emit, Action<NexusException, object?> itemError)
    {
        foreach (var (stored, error, target) in _steps)
        {
            if (error is not null)
            {
                itemError(error, target);
                continue;
            }

            foreach (var item in stored!)
            {
                emit(item);
            }
        }
    }
}
