using System.Management.Automation;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Lists every migration this module knows, and any the store's journal holds, with applied or pending state, checksum drift and down scripts.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusMigration")]
[OutputType(typeof(MigrationInfo))]
public sealed class GetNexusMigrationCommand : MigrationCmdlet
{
    /// <summary>Only migrations not yet applied.</summary>
    [Parameter]
    public SwitchParameter Pending { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        try
        {
            var runner = new MigrationRunner(store, ResolveCatalog(store.Provider), WriteVerbose);
            if (runner.NeedsAdoption())
            {
                WriteWarning($"{store.Database} holds tables made by the original Nexus but no Nexus journal. Run Invoke-NexusMigration -Adopt to bring it under this module.");
            }
            else if (runner.FindForeignTables() is { Count: > 0 } foreign)
            {
                WriteWarning($"{store.Database} holds tables that are not Nexus's ({string.Join(", ", foreign)}); Invoke-NexusMigration will not create the Nexus schema beside them without -Force. Is it the right database?");
            }

            foreach (var row in runner.GetStatus())
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
        finally
        {
            CloseOwnedStore();
        }
    }
}
