using System.Management.Automation;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Brings a store's schema up to the newest migration this module knows.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NexusMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MigrationInfo))]
public sealed class InvokeNexusMigrationCommand : NexusCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        try
        {
            var runner = new MigrationRunner(store, WriteVerbose);
            var pending = runner.GetPending();
            if (pending.Count == 0)
            {
                WriteVerbose($"{store.Database} is already at {runner.Catalog.Head}; nothing to apply.");
                return;
            }

            var plan = string.Join(", ", pending.Select(m => m.ScriptName));
            if (!ShouldProcess(store.Database, $"Apply migration(s) {plan}"))
            {
                return;
            }

            var progress = new ProgressRecord(1, "Migrating Nexus store", store.Database);
            WriteProgress(progress);
            var applied = runner.Upgrade();
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);

            var status = runner.GetStatus().ToDictionary(s => s.Id);
            foreach (var migration in applied)
            {
                WriteObject(status[migration.Id]);
            }
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }
    }
}
