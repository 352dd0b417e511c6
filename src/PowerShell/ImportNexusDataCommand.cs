using System.Management.Automation;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Loads an export made by Export-NexusData into a Nexus store, verified by checksums.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "NexusData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EmptySet)]
[OutputType(typeof(TableTransferResult))]
public sealed class ImportNexusDataCommand : TransferCmdlet
{
    private const string EmptySet = "Empty";
    private const string MergeSet = "Merge";
    private const string ForceSet = "Force";

    /// <summary>The export folder (with manifest.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Upsert into a non-empty store by natural key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MergeSet)]
    public SwitchParameter Merge { get; set; }

    /// <summary>Delete every row of the store first (in the same transaction).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ForceSet)]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var action = Force ? $"Replace every row with the export {folder}"
            : Merge ? $"Merge (upsert) the export {folder}"
            : $"Import the export {folder}";
        if (!ShouldProcess(store.Database, action) || (Force && !ConfirmedHighImpact(store.Database)))
        {
            return;
        }

        var options = new TransferOptions
        {
            Mode = Force ? TransferMode.Replace : Merge ? TransferMode.Merge : TransferMode.EmptyOnly,
            SkipInvalid = SkipInvalid,
            RejectPath = ResolveRejectPath(RejectPath) ?? DefaultRejectPath(),
            BatchSize = BatchSize,
        };
        RunTransfer($"Importing {folder} into {store.Database}", options, t => t.Import(folder, store));
    }
}
