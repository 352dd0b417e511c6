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
    /// <summary>Rows handed from the reading to the writing thread at a time.</summary>
    [Parameter]
    [ValidateRange(100, 1_000_000)]
    public int BatchSize { get; set; } = TransferOptions.DefaultBatchSize;

    /// <summary>Set rows that cannot be converted aside in a reject file instead of stopping.</summary>
    [Parameter]
    public SwitchParameter SkipInvalid { get; set; }

    /// <summary>The reject file for -SkipInvalid (default ./nexus-rejects-&lt;time&gt;.ndjson).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RejectPath { get; set; }

    /// <summary>Runs a transfer and writes its results; maps failures to ErrorRecords.</summary>
    protected void RunTransfer(string activity, TransferOptions options, Func<DataTransfer, IReadOnlyList<TableTransferResult>> work)
    {
        var transfer = new DataTransfer(options, WriteVerbose, p => Report(activity, p), StopToken, WriteWarning);
        try
        {
            foreach (var result in work(transfer))
            {
                WriteObject(result);
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (NexusException e)
        {
            if (e is TransferFailedException failed)
            {
                foreach (var result in failed.Results)
                {
                    WriteObject(result);
                }
            }

            ThrowTerminatingError(ErrorRecords.From(e));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>
    /// The options of this call: -SkipInvalid, -RejectPath (resolved against the current location,
    /// default ./nexus-rejects-&lt;UTC time&gt;.ndjson there) and -BatchSize, with what the cmdlet adds.
    /// </summary>
    protected TransferOptions Options(TransferMode mode = TransferMode.EmptyOnly, bool compress = false, bool overwrite = false, NonFiniteNumberPolicy nonFiniteNumbers = NonFiniteNumberPolicy.Refuse) => new()
    {
        Mode = mode,
        NonFiniteNumbers = nonFiniteNumbers.ToCore(),
        Compress = compress,
        Overwrite = overwrite,
        SkipInvalid = SkipInvalid,
        RejectPath = RejectPath is null
            ? TransferOptions.DefaultRejectPath(SessionState.Path.CurrentFileSystemLocation.ProviderPath)
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(RejectPath),
        BatchSize = BatchSize,
    };

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
