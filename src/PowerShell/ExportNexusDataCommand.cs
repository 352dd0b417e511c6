using System.Management.Automation;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Writes every table of a Nexus store to a folder of NDJSON files with a manifest.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "NexusData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TableTransferResult))]
public sealed class ExportNexusDataCommand : TransferCmdlet
{
    /// <summary>The export folder (created if missing).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>gzip the table files (.ndjson.gz).</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <summary>Replace a finished export already in the folder.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(folder, $"Export every row of {store.Database}"))
        {
            return;
        }

        RunTransfer($"Exporting {store.Database} to {folder}", Options(compress: Compress, overwrite: Force), t => t.Export(store, folder));
    }
}
