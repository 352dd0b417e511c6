using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Tells whether a file record exists: $true or $false for each path (-Path is a wildcard pattern: whether any record matches; -LiteralPath is exact).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NexusMetadata", DefaultParameterSetName = PathSet)]
[OutputType(typeof(bool))]
public sealed class TestNexusMetadataCommand : NexusPathCmdlet
{
    private MetadataStore? _records;

    /// <summary>Counts soft-deleted records as existing.</summary>
    [Parameter]
    public SwitchParameter IncludeDeleted { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => _records = Engine(store => new MetadataStore(store));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            Attempt(() =>
            {
                if (target.Pattern is null)
                {
                    CheckExact(target.Path);
                    WriteObject(_records!.Get(target.Tenant, target.Path, IncludeDeleted) is not null);
                    return;
                }

                WriteObject(target.Pattern.Matches(_records!, target.Tenant, IncludeDeleted, StopToken).Any());
            }, target.Path);
        }
    }
}
