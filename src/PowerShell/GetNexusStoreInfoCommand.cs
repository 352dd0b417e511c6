using System.Management.Automation;
using Nexus.Core.Health;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Reports what a store is and holds: sizes, rows per table, tenants, schema revision and layout, journal mode, pool and server version.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusStoreInfo")]
[OutputType(typeof(StoreInfo))]
public sealed class GetNexusStoreInfoCommand : NexusCmdlet
{
    /// <summary>PostgreSQL: count every table's rows instead of using the planner's estimate.</summary>
    [Parameter]
    public SwitchParameter Exact { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        try
        {
            WriteObject(StoreInfoReader.Read(store, Exact));
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }
    }
}
