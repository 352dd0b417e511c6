using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Stores or updates file records (upsert by tenant and path), in batched transactions.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NexusMetadata", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileRecord))]
public sealed class SetNexusMetadataCommand : NexusFileCmdlet
{
    private const string ProgressActivity = "Storing Nexus file records";
    private OverlappedBatch<FileRecord, BatchOutcome<FileRecord>>? _batch;
    private MetadataStore? _records;

    /// <summary>
    /// The virtual path (absolute, normalized), taken exactly as written: a record is created or
    /// updated at this one path, so no character ('[', '*', '?', '`') is a wildcard or an escape.
    /// -LiteralPath and -LP are other names for it.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath", "LiteralPath", "LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Path { get; set; } = string.Empty;

    /// <summary>The storage backend that holds the bytes (default: local).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Backend", "BackendId")]
    public string? BackendName { get; set; }

    /// <summary>Where the backend keeps the bytes (binds from a file's FullName too).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? PhysicalPath { get; set; }

    /// <summary>
    /// Size in bytes (binds from a file's Length too): a whole number, or text that spells one. A
    /// value that is not (Size = 'abc', 1e30, 1.5) is an error for that record, never a silent 0.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Length", "SizeBytes")]
    public object? Size { get; set; }

    /// <summary>The content hash, at most 64 characters (binds from Get-FileHash's Hash too).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ContentHash", "Hash")]
    public string? ETag { get; set; }

    /// <summary>The MIME type.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ContentType", "FileType")]
    public string? MimeType { get; set; }

    /// <summary>Emits each record as stored (with its timestamps and version).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        (_records, _batch) = BulkWriter(store => new MetadataStore(store), SameRecord.Instance, StoreBatch, Finish);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        FileRecord record;
        try
        {
            record = MetadataStore.Check(new FileRecord
            {
                Tenant = Tenant,
                Path = Path,
                BackendName = BackendName ?? string.Empty,
                PhysicalPath = PhysicalPath ?? string.Empty,
                Size = PipelineValues.WholeNumber(nameof(Size), Size, $"Give the size in bytes, 0 or more; the record '{Path}' was not stored."),
                ETag = ETag,
                MimeType = MimeType,
            });
        }
        catch (NexusException e)
        {
            WriteItemError(e, Path);
            return;
        }

        if (!ShouldProcess(record.Path, "Store file record"))
        {
            return;
        }

        _batch!.Add(record);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _batch!.Flush();
        EndBulkProgress(ProgressActivity);
    }

    /// <summary>Waits for a batch still being written when the pipeline stopped or failed.</summary>
    protected override void Dispose(bool disposing)
    {
        _batch?.Dispose();
        base.Dispose(disposing);
    }

    // On a pool thread, while the pipeline binds the next batch: touches only the store (and reads
    // -PassThru, which is bound once, before the first record).
    private BatchOutcome<FileRecord> StoreBatch(FileRecord[] batch) => BatchOutcome<FileRecord>.Store(
        batch, (records, outcome) => outcome.AddStored(records.Length, _records!.Upsert(records, PassThru, StopToken)), record => record.Path, IsItemError);

    private void Finish(BatchOutcome<FileRecord> outcome) => FinishBatch(outcome, WriteObject, ProgressActivity);
}
