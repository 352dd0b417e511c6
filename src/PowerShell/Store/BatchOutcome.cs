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
