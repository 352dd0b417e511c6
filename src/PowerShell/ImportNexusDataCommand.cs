using System.Management.Automation;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Loads an export made by Export-NexusData into a Nexus store, verified by checksums.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "NexusData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EmptySet)]
[OutputType(typeof(TableTransferResult))]
public sealed class ImportNexusDataCommand : StoreLoadingCmdlet
{
    /// <summary>The export folder (with manifest.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var action = Action($"Replace every row with the export {folder}", $"Merge (upsert) the export {folder}", $"Import the export {folder}");
        if (!ShouldProcess(store.Database, action) || !ConfirmedReplace(store.Database))
        {
            return;
        }

        RunTransfer($"Importing {folder} into {store.Database}", LoadOptions, t => t.Import(folder, store));
    }
}
