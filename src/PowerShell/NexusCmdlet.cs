using System.Management.Automation;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// The base of every Nexus cmdlet: the common -Store parameter, the runspace default, and
/// helpers that turn store errors into proper ErrorRecords.
/// </summary>
public abstract partial class NexusCmdlet : PSCmdlet
{
    /// <summary>
    /// The store to work on: a store from Connect-NexusStore, or a URL, connection string or
    /// existing SQLite file opened for this call only. Without it, the store that the last
    /// Connect-NexusStore in this runspace opened.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public StoreParameter? Store { get; set; }

    /// <summary>The store this call works on; terminates with a clear error if there is none.</summary>
    protected NexusStore ResolveStore()
    {
        var store = Store is null ? DefaultStore.Get() : StoreOfArgument();
        if (store is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("No Nexus store is connected in this session. Run Connect-NexusStore first, or pass -Store."),
                "Nexus.NoStore", ErrorCategory.ConnectionError, null));
        }

        if (!store!.IsOpen)
        {
            ThrowTerminatingError(ErrorRecords.From(StoreErrors.Closed($"The store {store.Database}", store)));
        }

        return store;
    }

    /// <summary>Stops the pipeline with this error (a store that cannot be used).</summary>
    protected void Terminate(NexusException error, object? target = null) =>
        ThrowTerminatingError(ErrorRecords.From(error, target));

    /// <summary>Reports an error about one item and lets the pipeline go on.</summary>
    protected void WriteItemError(NexusException error, object? target = null) =>
        WriteError(ErrorRecords.From(error, target));

    /// <summary>
    /// Writes, as verbose lines, the store's notes about which host served writes (and reads that
    /// a replica could not serve): after a failover, -Verbose says where the cmdlet wrote.
    /// Call on the pipeline thread only.
    /// </summary>
    protected void ReportConnectionNotes()
    {
        var store = Store is null ? DefaultStore.Get() : _storeOfArgument ?? Store.Store;
        if (store is null)
        {
            return;
        }

        foreach (var note in store.TakeConnectionNotes())
        {
            WriteVerbose(note);
        }
    }

    /// <summary>Writes a verbose line (used as a log callback by the core).</summary>
    protected void Log(string message) => WriteVerbose(message);
}
