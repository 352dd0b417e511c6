using System.Management.Automation;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Returns this session's default Nexus store (the one the last Connect-NexusStore opened).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusStore")]
[OutputType(typeof(NexusStore))]
public sealed class GetNexusStoreCommand : NexusCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // Finding no store is an answer, not a failure of the pipeline: -ErrorAction decides.
        if (Store is null && DefaultStore.Get() is null)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException("No Nexus store is connected in this session. Run Connect-NexusStore first."),
                "Nexus.NoStore", ErrorCategory.ObjectNotFound, null));
            return;
        }

        if (Store is { Store: null })
        {
            // A store opened from text is closed when this call ends: it would come back closed.
            Terminate(new NexusException(NexusErrorKind.InvalidArgument,
                $"Get-NexusStore -Store takes a connected store. To open '{Store}', use Connect-NexusStore."));
        }

        var store = ResolveStore();
        try
        {
            store.RefreshSchemaRevision();
            store.RefreshLayout();   // another session may have converted it
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }

        WriteObject(store);
    }
}
