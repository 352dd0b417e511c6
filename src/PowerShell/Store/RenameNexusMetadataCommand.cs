using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Moves a file record, with its attributes, to a new path in one transaction.</para>
/// </summary>
[Cmdlet(VerbsCommon.Rename, "NexusMetadata", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileRecord))]
public sealed class RenameNexusMetadataCommand : NexusFileCmdlet
{
    private MetadataStore? _records;

    /// <summary>The record's current virtual path, taken exactly as written (this cmdlet names one record: no wildcards, no escapes). -LiteralPath and -LP are other names for it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath", "LiteralPath", "LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Path { get; set; } = string.Empty;

    /// <summary>The new virtual path.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string NewPath { get; set; } = string.Empty;

    /// <summary>Replaces a record (and its attributes) that exists at the new path.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits the moved record.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => _records = Engine(store => new MetadataStore(store));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tenant = CheckedTenant();
        if (tenant is null || !Attempt(() => PathRules.ValidateLiteral(Path), Path) || !Attempt(() => PathRules.Validate(NewPath), NewPath))
        {
            return;
        }

        if (!ShouldProcess(Path, $"Rename file record to '{NewPath}'{(Force ? " (replacing any record there)" : string.Empty)}"))
        {
            return;
        }

        Attempt(() =>
        {
            var moved = _records!.Rename(tenant, Path, NewPath, Force);
            if (PassThru)
            {
                WriteObject(moved);
            }
        }, Path);
    }
}
