using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Tells whether a file record exists: $true or $false for each path (with wildcards: whether any matches).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NexusMetadata")]
[OutputType(typeof(bool))]
public sealed class TestNexusMetadataCommand : NexusFileCmdlet
{
    private MetadataStore? _records;

    /// <summary>Virtual paths; with wildcards (*, ?, [a-c]) the answer is whether any record matches.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(PathCompleter))]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Counts soft-deleted records as existing.</summary>
    [Parameter]
    public SwitchParameter IncludeDeleted { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => _records = Engine(store => new MetadataStore(store));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tenant = CheckedTenant();
        if (tenant is null)
        {
            return;
        }

        foreach (var path in Path)
        {
            var pattern = WildcardPath.TryCreate(path);
            Attempt(() =>
            {
                if (pattern is null)
                {
                    PathRules.Validate(path);
                    WriteObject(_records!.Get(tenant, path, IncludeDeleted) is not null);
                    return;
                }

                WriteObject(pattern.Matches(_records!, tenant, IncludeDeleted, StopToken).Any());
            }, path);
        }
    }
}
