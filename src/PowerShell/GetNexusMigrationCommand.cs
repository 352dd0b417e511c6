using System.Management.Automation;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Lists every migration this module knows, and any the store's journal holds, with applied or pending state.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusMigration")]
[OutputType(typeof(MigrationInfo))]
public sealed class GetNexusMigrationCommand : NexusCmdlet
{
    /// <summary>Only migrations not yet applied.</summary>
    [Parameter]
    public SwitchParameter Pending { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        try
        {
            foreach (var row in new MigrationRunner(store, WriteVerbose).GetStatus())
            {
                if (!Pending || row.State == MigrationState.Pending)
                {
                    WriteObject(row);
                }
            }
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }
    }
}
