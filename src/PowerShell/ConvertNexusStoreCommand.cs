using System.Management.Automation;
using Nexus.Core.Layouts;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Rebuilds a PostgreSQL store's tables in another layout (plain, partitioned or distributed), verified by checksums.</para>
/// </summary>
[Cmdlet(VerbsData.Convert, "NexusStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(LayoutConversionResult))]
public sealed class ConvertNexusStoreCommand : NexusCmdlet
{
    private const string Activity = "Converting the store's layout";

    /// <summary>The layout to rebuild the tables in: plain, partitioned or distributed.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("plain", "partitioned", "distributed")]
    public string Layout { get; set; } = string.Empty;

    /// <summary>The partitions (partitioned) or shards (distributed) of file_paths and file_metadata; default 16.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int Partitions { get; set; } = StoreLayout.DefaultPartitions;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var kind = Enum.Parse<StoreLayoutKind>(Layout, ignoreCase: true);
        if (kind == StoreLayoutKind.Plain && MyInvocation.BoundParameters.ContainsKey(nameof(Partitions)))
        {
            Terminate(new NexusException(NexusErrorKind.InvalidArgument,
                "-Partitions applies to the partitioned and distributed layouts; the plain layout has no partitions.", Partitions,
                hint: "Leave out -Partitions, or choose -Layout partitioned or distributed."));
        }

        var target = kind == StoreLayoutKind.Plain ? StoreLayout.Plain : new StoreLayout(kind, Partitions);
        try
        {
            var plan = LayoutConversion.Plan(store, target);
            if (!plan.IsNeeded)
            {
                WriteWarning(plan.Describe());
                WriteObject(LayoutConversion.Run(store, target, WriteVerbose, null, StopToken));
                return;
            }

            if (!ShouldProcess(store.Database, plan.Describe()))
            {
                return;
            }

            var result = LayoutConversion.Run(store, target, WriteVerbose, Report, StopToken);
            WriteObject(result);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (NexusException e)
        {
            Terminate(e, store.Database);
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Report(string phase, int percent) =>
        WriteProgress(new ProgressRecord(1, Activity, phase) { PercentComplete = percent });
}
