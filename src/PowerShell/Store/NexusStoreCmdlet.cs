using System.Collections.Concurrent;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// The base of the store cmdlets (records, attributes, chunks): one cancellation token that
/// Ctrl+C trips (so no batch is left half-written), the split between item errors and store
/// failures, and confirmation for high-impact actions of a medium-impact cmdlet.
/// </summary>
public abstract class NexusStoreCmdlet : NexusCmdlet
{
    private readonly ConcurrentQueue<string> _engineLog = new();
    private int _pipelineThread;
    private bool _yesToAll;
    private bool _noToAll;
    private long _bulkDone;
    private bool _bulkShown;

    /// <summary>Builds an engine over the resolved store; a schema or connection problem terminates.</summary>
    protected T Engine<T>(Func<NexusStore, T> create)
    {
        var store = ResolveStore();
        try
        {
            var engine = create(store);
            if (engine is IStoreEngine logged)
            {
                _pipelineThread = Environment.CurrentManagedThreadId;
                logged.Log = EngineLog;
            }

            return engine;
        }
        catch (NexusException e)
        {
            Terminate(e, store);
            throw; // not reached: Terminate throws
        }
    }

    /// <summary>Writes the verbose lines that engine work on pool threads left (call on the pipeline thread).</summary>
    protected void WriteEngineLog()
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
        {
            return;
        }

        while (_engineLog.TryDequeue(out var message))
        {
            WriteVerbose(message);
        }
    }

    // WriteVerbose works only on the pipeline thread; lines from batches written on pool threads
    // wait in a queue until the pipeline thread writes them out (WriteEngineLog).
    private void EngineLog(string message)
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
        {
            _engineLog.Enqueue(message);
            return;
        }

        WriteEngineLog();
        WriteVerbose(message);
    }

    /// <summary>
    /// Runs one piece of store work. An error about the item is written and the pipeline goes on;
    /// a store that cannot be used (unreachable, locked past the timeout, closed, wrong schema)
    /// terminates. Returns false when the work did not complete.
    /// </summary>
    protected bool Attempt(Action work, object? target)
    {
        // On PostgreSQL the engine works on a thread of its own (CallDeadline), so what it logged
        // waits in the queue until the work is over.
        try
        {
            work();
            WriteEngineLog();
            ReportConnectionNotes();
            return true;
        }
        catch (NexusException e) when (IsItemError(e.Kind))
        {
            WriteEngineLog();
            WriteItemError(e, target ?? e.Target);
            return false;
        }
        catch (NexusException e)
        {
            WriteEngineLog();
            Terminate(e, target);
            return false;
        }
        catch (OperationCanceledException)
        {
            WriteEngineLog();
            return false;
        }
    }

    /// <summary>True when an error is about one item rather than the store.</summary>
    protected static bool IsItemError(NexusErrorKind kind) =>
        kind is NexusErrorKind.InvalidArgument or NexusErrorKind.NotFound or NexusErrorKind.AlreadyExists or NexusErrorKind.InvalidData;

    /// <summary>
    /// ShouldProcess for an action that is more dangerous than the cmdlet's declared impact
    /// (-Purge, wildcard removals): asks as a High-impact cmdlet would under $ConfirmPreference,
    /// and -Confirm:$false still skips the question.
    /// </summary>
    protected bool ShouldProcessHighImpact(string target, string action)
    {
        if (!ShouldProcess(target, action))
        {
            return false;
        }

        if (MyInvocation.BoundParameters.ContainsKey("Confirm") || MyInvocation.BoundParameters.ContainsKey("WhatIf"))
        {
            return true; // ShouldProcess asked already, or the caller said not to ask
        }

        var preference = GetVariableValue("ConfirmPreference") is ConfirmImpact impact ? impact : ConfirmImpact.High;
        if (preference == ConfirmImpact.None || preference > ConfirmImpact.High || preference <= ConfirmImpact.Medium)
        {
            return true; // never asks, or ShouldProcess (medium) already asked
        }

        return ShouldContinue($"{action} on target \"{target}\"? This cannot be undone.", "Confirm", ref _yesToAll, ref _noToAll);
    }

    /// <summary>
    /// Counts items a bulk pipeline has written and shows the count as progress once it passes
    /// one batch (<see cref="MetadataStore.BatchSize"/>): small pipelines stay quiet.
    /// </summary>
    protected void BulkProgress(string activity, long written)
    {
        ReportConnectionNotes();   // on the pipeline thread, after each batch
        _bulkDone += written;
        if (_bulkDone >= MetadataStore.BatchSize)
        {
            _bulkShown = true;
            Progress(activity, _bulkDone);
        }
    }

    /// <summary>
    /// The engine of a bulk write cmdlet and its overlapped batch, which writes as many batches at
    /// once as the store's dialect can use (on PostgreSQL two, on two connections: the server works
    /// on one while the client sends the other; SQLite has a single writer).
    /// </summary>
    private protected (TEngine Engine, OverlappedBatch<T, TResult> Batch) BulkWriter<TEngine, T, TResult>(
        Func<NexusStore, TEngine> create, IEqualityComparer<T> sameItem, Func<T[], TResult> work, Action<TResult> finish)
    {
        var writers = 1;
        var engine = Engine(store =>
        {
            writers = store.ConcurrentWriters;
            return create(store);
        });
        return (engine, new(MetadataStore.UpsertBatchSize, writers, sameItem, StopToken, work, finish));
    }

    /// <summary>On the pipeline thread: output, errors and progress for one written batch (see <see cref="OverlappedBatch{T, TResult}"/>).</summary>
    private protected void FinishBatch<TOut>(BatchOutcome<TOut> outcome, Action<TOut> emit, string activity)
    {
        WriteEngineLog();
        outcome.Replay(emit, WriteItemError);
        if (outcome.Failure is not null)
        {
            Terminate(outcome.Failure, outcome.FailureTarget);
        }

        BulkProgress(activity, outcome.StoredCount);
    }

    /// <summary>Completes the progress bar <see cref="BulkProgress"/> showed, if it showed one.</summary>
    protected void EndBulkProgress(string activity)
    {
        if (_bulkShown)
        {
            Progress(activity, _bulkDone, completed: true);
        }
    }

    /// <summary>Shows bulk progress (count only: a pipeline's length is unknown).</summary>
    private void Progress(string activity, long done, bool completed = false)
    {
        var record = new ProgressRecord(0x4E58, activity, completed ? "Done" : $"{done:N0} so far")
        {
            RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }
}
