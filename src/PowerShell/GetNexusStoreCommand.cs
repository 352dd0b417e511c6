using System.Management.Automation;
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
        var store = ResolveStore();
        try
        {
            store.RefreshSchemaRevision();
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }

        WriteObject(store);
    }
}
