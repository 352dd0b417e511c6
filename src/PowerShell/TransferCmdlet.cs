using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// What Copy-, Export- and Import-NexusData share: running a transfer with Write-Progress,
/// Ctrl+C, -Verbose per table, result objects, and errors that carry the per-table results.
/// </summary>
public abstract class TransferCmdlet : NexusCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Rows handed from the reading to the writing thread at a time.</summary>
    [Parameter]
    [ValidateRange(100, 1_000_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>Set rows that cannot be converted aside in a reject file instead of stopping.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>The reject file for -SkipInvalid (default ./nexus-rejects-&lt;time&gt;.ndjson).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RejectPath { get; set; }

    /// <summary>Stops the transfer; the destination is left as it was.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs a transfer and writes its results; maps failures to ErrorRecords.</summary>
    protected void RunTransfer(string activity, TransferOptions options, Func<DataTransfer, IReadOnlyList<TableTransferResult>> work)
    {
        var transfer = new DataTransfer(options, WriteVerbose, p => Report(activity, p), _stop.Token);
        try
        {
            foreach (var result in work(transfer))
            {
                WriteObject(result);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (NexusException e)
        {
            if (e.Target is IReadOnlyList<TableTransferResult> results)
            {
                foreach (var result in results)
                {
                    WriteObject(result);
                }

                ThrowTerminatingError(ErrorRecords.From(e, results.FirstOrDefault(r => !r.Match)?.Table));
            }

            ThrowTerminatingError(ErrorRecords.From(e));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>Resolves a reject file path against the current location.</summary>
    protected string? ResolveRejectPath(string? path) =>
        path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The default reject file: ./nexus-rejects-&lt;UTC time&gt;.ndjson in the current location.</summary>
    protected string DefaultRejectPath() => System.IO.Path.Combine(
        SessionState.Path.CurrentFileSystemLocation.ProviderPath, $"nexus-rejects-{DateTime.UtcNow:yyyyMMdd-HHmmss}.ndjson");

    /// <summary>
    /// Replacing a destination's rows is high impact: unless -Confirm:$false was given, ask
    /// (in a non-interactive session that means: pass -Confirm:$false).
    /// </summary>
    protected bool ConfirmedHighImpact(string destination)
    {
        // -Confirm (either way) means ShouldProcess has already asked, or was told not to.
        if (MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return true;
        }

        return ShouldContinue($"Every row of {destination} will be deleted and replaced. Continue?", "Replace the destination's contents");
    }

    private void Report(string activity, TransferProgress progress)
    {
        var status = progress.Table is null
            ? progress.Phase
            : $"{progress.Phase} {progress.Table}: {progress.RowsDone:N0} of {progress.RowsTotal:N0} rows, {progress.RowsPerSecond:N0} rows/s";
        WriteProgress(new ProgressRecord(1, activity, status)
        {
            PercentComplete = progress.Table is null ? -1 : progress.PercentComplete,
            SecondsRemaining = progress.SecondsRemaining,
        });
    }
}
