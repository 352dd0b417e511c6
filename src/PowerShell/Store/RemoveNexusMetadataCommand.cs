using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Soft-deletes file records (sets DeletedAt), or with -Purge removes them and their attributes for good.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusMetadata", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileRecord))]
public sealed class RemoveNexusMetadataCommand : NexusFileCmdlet
{
    private const string ProgressActivity = "Removing Nexus file records";
    private TenantPathBatch? _pending;
    private MetadataStore? _records;

    /// <summary>
    /// Virtual paths. Wildcards (*, ?, [a-c]) remove every match and count as high impact; a path
    /// that exists literally is removed as itself.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(PathCompleter))]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Removes the rows and their attributes for good (soft-deleted ones too). High impact.</summary>
    [Parameter]
    public SwitchParameter Purge { get; set; }

    /// <summary>Emits each removed record.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private string Action => Purge ? "Purge file record and its attributes" : "Soft-delete file record";

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _records = Engine(store => new MetadataStore(store));
        _pending = new(MetadataStore.BatchSize, StopToken, Write);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tenant = CheckedTenant();
        if (tenant is null)
        {
            return;
        }

        QueuePaths(
            tenant,
            Path,
            _pending!,
            accept: path => Purge ? ShouldProcessHighImpact(path, Action) : ShouldProcess(path, Action),
            pattern: (path, pattern) => RemovePattern(tenant, path, pattern));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _pending!.Flush();
        EndBulkProgress(ProgressActivity);
    }

    private void RemovePattern(string tenant, string path, WildcardPath pattern)
    {
        // Listed in full before anything is removed: the listing reads while the removal writes.
        List<string> matches = new();
        var ok = Attempt(() => matches = pattern.Matches(_records!, tenant, includeDeleted: Purge, StopToken).Select(r => r.Path).ToList(), path);
        if (!ok)
        {
            return;
        }

        foreach (var match in matches)
        {
            if (ShouldProcessHighImpact(match, Action))
            {
                _pending!.Add(match);
            }
        }
    }

    private void Write(string tenant, string[] paths)
    {
        IReadOnlyDictionary<string, FileRecord>? removed = null;
        if (!Attempt(() => removed = _records!.Remove(tenant, paths, Purge, StopToken), null))
        {
            return;
        }

        foreach (var path in paths)
        {
            if (removed!.TryGetValue(path, out var record))
            {
                if (PassThru)
                {
                    WriteObject(record);
                }
            }
            else
            {
                WriteItemError(StoreErrors.NoRecord(tenant, path, deletedToo: Purge), path);
            }
        }

        BulkProgress(ProgressActivity, removed!.Count);
    }
}
