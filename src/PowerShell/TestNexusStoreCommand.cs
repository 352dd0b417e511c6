using System.Management.Automation;
using Nexus.Core.Health;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Checks a store for damage and inconsistency: one result per check (Pass, Warn or Fail), with the offending rows.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NexusStore")]
[OutputType(typeof(HealthCheckResult))]
public sealed class TestNexusStoreCommand : NexusCmdlet
{

    /// <summary>The checks to run (all by default; DeletedRecords only with -DeletedBefore).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(StoreHealthChecker.Integrity, StoreHealthChecker.ForeignKeys, StoreHealthChecker.OrphanAttributes,
        StoreHealthChecker.ChunkReferences, StoreHealthChecker.JournalDrift, StoreHealthChecker.SchemaObjects,
        StoreHealthChecker.DeletedRecords, IgnoreCase = true)]
    public string[]? Check { get; set; }

    /// <summary>SQLite: PRAGMA quick_check instead of integrity_check. PostgreSQL: amcheck without the heap pass.</summary>
    [Parameter]
    public SwitchParameter Quick { get; set; }

    /// <summary>Records soft-deleted before this time (local unless given as UTC) are a Fail.</summary>
    [Parameter]
    public DateTime DeletedBefore { get; set; }

    /// <summary>Sets $LASTEXITCODE (1 on any Fail, else 0) and ends with a terminating error on any Fail.</summary>
    [Parameter]
    public SwitchParameter Exit { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var failed = new List<string>();
        var progress = new ProgressRecord(1, $"Checking {store.Database}", "Starting");
        try
        {
            var checker = new StoreHealthChecker(store);
            var options = new HealthCheckOptions
            {
                Checks = Check,
                Quick = Quick,
                DeletedBefore = MyInvocation.BoundParameters.ContainsKey(nameof(DeletedBefore)) ? DeletedBefore : null,
                Cancellation = StopToken,
                CheckStarting = (check, index, count) =>
                {
                    progress.StatusDescription = $"{check} ({index} of {count})";
                    progress.PercentComplete = (index - 1) * 100 / count;
                    WriteProgress(progress);
                },
            };
            foreach (var result in checker.Run(options))
            {
                WriteVerbose($"{result.Check}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms. {result.Details}");
                if (result.Status == HealthStatus.Fail)
                {
                    failed.Add(result.Check);
                }

                WriteObject(result);
            }
        }
        catch (OperationCanceledException)
        {
            WriteWarning($"Checking {store.Database} was stopped; the checks not reported did not run.");
            return;
        }
        catch (NexusException e)
        {
            Terminate(e, store);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        if (!Exit)
        {
            return;
        }

        SessionState.PSVariable.Set("global:LASTEXITCODE", failed.Count == 0 ? 0 : 1);
        if (failed.Count > 0)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"{store.Database} failed {failed.Count} health check(s): {string.Join(", ", failed)}. See the results above (Details and Rows) for what to do."),
                "Nexus.HealthCheckFailed", ErrorCategory.InvalidResult, store));
        }
    }
}
