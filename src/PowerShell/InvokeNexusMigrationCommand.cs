using System.Management.Automation;
using System.Text;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;
using Nexus.Core.Transfer;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Moves a store's schema to a migration target: up to head (the default), down to base, to an id, or by relative steps.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NexusMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RunSet)]
[OutputType(typeof(MigrationStep), ParameterSetName = new[] { RunSet })]
[OutputType(typeof(string), ParameterSetName = new[] { ScriptSet })]
public sealed class InvokeNexusMigrationCommand : MigrationCmdlet
{
    private const string RunSet = "Run";
    private const string ScriptSet = "Script";

    /// <summary>head (default), base, a migration id such as 0001, or a relative step such as +1 or -2.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationTargetCompleter))]
    public string Target { get; set; } = "head";

    /// <summary>Writes the SQL that would run instead of running it (offline mode).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptSet)]
    public SwitchParameter Script { get; set; }

    /// <summary>With -Script: the file to write the SQL to instead of the pipeline.</summary>
    [Parameter(ParameterSetName = ScriptSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>
    /// Migrates even though the journal shows drift (changed or unknown migrations, a changed down
    /// script) or the database holds another program's tables; with -Confirm:$false, lets down
    /// steps destroy data without asking.
    /// </summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Brings a store made by the original Nexus under this module, then migrates on.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter Adopt { get; set; }

    /// <summary>PostgreSQL adoption: keeps attribute values as the original's JSON text (not jsonb), so the original system keeps working beside the module.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter KeepOriginalTypes { get; set; }

    /// <summary>Adoption: Refuse (the default) a store whose attribute values hold NaN, Infinity or -Infinity, naming each; or store them AsString.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public NonFiniteNumberPolicy NonFiniteNumbers { get; set; } = NonFiniteNumberPolicy.Refuse;

    /// <summary>Converts attribute values kept as JSON text at adoption (-KeepOriginalTypes) to jsonb, once the original no longer runs on the store.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter ConvertOriginalTypes { get; set; }

    /// <summary>Seconds to wait for another process's migration to finish (default 60).</summary>
    [Parameter(ParameterSetName = RunSet)]
    [ValidateRange(0, 86400)]
    public int LockTimeout { get; set; } = 60;

    /// <summary>SQLite: copies the store file next to itself (VACUUM INTO) before changing anything.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter Backup { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Script)
        {
            WriteScript();
            return;
        }

        var store = OpenStore();
        NexusStore? direct = null;
        try
        {
            // Behind PgBouncer in transaction mode: the direct migration_url, or a clear refusal.
            direct = store.OpenMigrationStore(WriteVerbose);
            Migrate(direct ?? store);
            if (direct is not null)
            {
                store.RefreshSchemaRevision();
            }
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }
        finally
        {
            direct?.Dispose();
            CloseOwnedStore();
        }
    }

    private void Migrate(NexusStore store)
    {
        try
        {
            var runner = new MigrationRunner(store, ResolveCatalog(store.Provider), WriteVerbose);
            var options = new MigrationOptions
            {
                Force = Force,
                Adopt = Adopt,
                KeepOriginalTypes = KeepOriginalTypes,
                NonFiniteNumbers = NonFiniteNumbers.ToCore(),
                LockTimeout = TimeSpan.FromSeconds(LockTimeout),
                Backup = Backup,
                BackupCopier = (s, path, leftovers) => StoreBackup.Run(s, path, overwrite: false, WriteVerbose, leftovers).Path,
                Cancellation = StopToken,
            };

            var plan = runner.Plan(Target, options);
            if (plan.Count == 0)
            {
                WriteVerbose($"{store.Database} is already at {Target}; nothing to do.");
                ConvertOriginalTypesIfAsked(runner, store, options);
                return;
            }

            // Every step is offered (so -WhatIf prints the whole plan, with what each down step
            // destroys); any step declined means none run.
            var approved = true;
            foreach (var step in plan)
            {
                var action = step.IsAdoption
                    ? $"Adopt the original Nexus tables as {step.ScriptName}"
                    : $"Migrate {step.Direction.ToString().ToLowerInvariant()}: {step.ScriptName}"
                        + (step.DestroysData ? $" — destroys {DataLoss.Describe(step.Destroys)}" : string.Empty);
                approved &= ShouldProcess(store.Database, action);
            }

            if (!approved || !ConfirmedDataLoss(store, plan))
            {
                return;
            }

            // Only what was confirmed: a step that would start destroying data after the plan was
            // counted (rows written meanwhile) is still refused by the runner.
            options = options with { AllowDataLoss = plan.Any(s => s.DestroysData) };

            var progress = new ProgressRecord(1, $"Migrating {store.Database} to {Target}", "Waiting for the migration lock");
            WriteProgress(progress);
            var done = runner.MigrateTo(Target, options with
            {
                StepStarting = (step, index, count) =>
                {
                    progress.StatusDescription = $"{step} ({index} of {count})";
                    progress.PercentComplete = (index - 1) * 100 / count;
                    WriteProgress(progress);
                },
            });
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);

            if (runner.LastLockWait > TimeSpan.FromMilliseconds(500))
            {
                WriteVerbose($"Waited {runner.LastLockWait.TotalSeconds:0.0} s for another process's migration lock.");
            }

            if (done.FirstOrDefault()?.BackupPath is { } backup)
            {
                WriteInformation(new InformationRecord($"Backup of {store.Database} before migrating: {backup}", "Invoke-NexusMigration"));
            }

            foreach (var note in done.SelectMany(step => step.Notes))
            {
                WriteWarning(note);
            }

            WriteObject(done, enumerateCollection: true);
            ConvertOriginalTypesIfAsked(runner, store, options);
        }
        catch (OperationCanceledException)
        {
            WriteWarning($"Migration of {store.Database} was stopped; every step that finished was kept, none is half-applied.");
        }
        catch (NexusException e)
        {
            Terminate(e, e.Target ?? store);
        }
    }

    /// <summary>
    /// Down steps that destroy data are high impact: at the default $ConfirmPreference (High) they
    /// ask even though the cmdlet is Medium; where ShouldProcess has already asked (-Confirm, or a
    /// preference of Medium or lower) that answer stands. With confirmation turned off
    /// (-Confirm:$false, or $ConfirmPreference = 'None') they also need -Force, so a runbook
    /// cannot destroy data by a -Confirm:$false written for upgrades. True when nothing is destroyed.
    /// </summary>
    private bool ConfirmedDataLoss(NexusStore store, IReadOnlyList<MigrationStep> plan)
    {
        if (!plan.Any(s => s.DestroysData))
        {
            return true;
        }

        var preference = MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)
            ? ((SwitchParameter)confirm).IsPresent ? ConfirmImpact.Low : ConfirmImpact.None
            : SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact set ? set : ConfirmImpact.High;
        if (preference == ConfirmImpact.None)
        {
            if (!Force)
            {
                Terminate(MigrationRunner.DataLossRefusal(store.Database, plan), store.Database);
            }

            WriteWarning($"Destroying data in {store.Database} without asking (-Force -Confirm:$false): {string.Join("; ", plan.Where(s => s.DestroysData).Select(s => $"{s.ScriptName}: {DataLoss.Describe(s.Destroys)}"))}.");
            return true;
        }

        if (preference <= ConfirmImpact.Medium)
        {
            return true;
        }

        var what = string.Join(Environment.NewLine, plan.Where(s => s.DestroysData).Select(s => $"  {s.ScriptName} (down): {DataLoss.Describe(s.Destroys)}"));
        return ShouldContinue(
            $"Migrating {store.Database} to {Target} destroys data:{Environment.NewLine}{what}{Environment.NewLine}It cannot be undone without a backup (-Backup). Continue?",
            "Destroy data");
    }

    private void ConvertOriginalTypesIfAsked(MigrationRunner runner, NexusStore store, MigrationOptions options)
    {
        if (ConvertOriginalTypes && ShouldProcess(store.Database, "Convert attribute values kept as the original's JSON text to jsonb"))
        {
            runner.ConvertOriginalTypes(options);
        }
    }

    private void WriteScript()
    {
        string sql;
        try
        {
            if (UsesTargetOnly)
            {
                var target = ResolveTarget();
                sql = MigrationRunner.Script(target, Target, ResolveCatalog(target.Provider));
            }
            else
            {
                // A connected store (-Store, -ConnectionString or the default): OpenStore opens
                // none here, and refuses -Credential and both parameters as a run does.
                var store = OpenStore();
                sql = new MigrationRunner(store, ResolveCatalog(store.Provider), WriteVerbose).Script(Target);
            }
        }
        catch (NexusException e)
        {
            Terminate(e);
            return;
        }

        if (OutFile is null)
        {
            WriteObject(sql);
            return;
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
        File.WriteAllText(path, sql, new UTF8Encoding(false));
        WriteVerbose($"Wrote the migration script to {path}.");
    }
}
