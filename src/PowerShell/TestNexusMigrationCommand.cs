using System.Management.Automation;
using Nexus.Core.Health;
using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Rehearses a migration without changing the store: on a copy (SQLite) or in a transaction that is rolled back (PostgreSQL), reporting each step's time, rows touched, success and what a down step destroys.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NexusMigration")]
[OutputType(typeof(RehearsalStep))]
public sealed class TestNexusMigrationCommand : MigrationCmdlet
{

    /// <summary>head (default), base, a migration id such as 0001, or a relative step such as +1 or -2.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "head";

    /// <summary>Rehearses even though the journal shows drift (as Invoke-NexusMigration -Force would run).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var progress = new ProgressRecord(1, $"Rehearsing the migration of {store.Database} to {Target}", "Planning");
        try
        {
            var options = new MigrationOptions
            {
                Force = Force,
                Cancellation = StopToken,
                StepStarting = (step, index, count) =>
                {
                    progress.StatusDescription = $"{step} ({index} of {count})";
                    progress.PercentComplete = (index - 1) * 100 / count;
                    WriteProgress(progress);
                },
            };
            var steps = new MigrationRehearsal(store, ResolveCatalog(store.Provider), WriteVerbose).Run(Target, options);
            if (steps.Count == 0)
            {
                WriteVerbose($"{store.Database} is already at {Target}; nothing to rehearse.");
            }

            WriteObject(steps, enumerateCollection: true);
            foreach (var failed in steps.Where(s => s.Outcome == RehearsalOutcome.Failed))
            {
                // The step objects say it too; the error lets -ErrorAction Stop end a runbook.
                WriteItemError(new NexusException(NexusErrorKind.MigrationFailed, failed.Error!, failed.ScriptName));
            }
        }
        catch (OperationCanceledException)
        {
            WriteWarning($"The rehearsal on {store.Database} was stopped; the store was not changed.");
        }
        catch (NexusException e)
        {
            Terminate(e, e.Target ?? store);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            CloseOwnedStore();
        }
    }
}
