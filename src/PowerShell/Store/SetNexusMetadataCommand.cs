using System.Management.Automation;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Stores or updates file records (upsert by tenant and path), in batched transactions.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NexusMetadata", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileRecord))]
public sealed class SetNexusMetadataCommand : NexusFileCmdlet
{
    private PipelineBatch<FileRecord>? _batch;
    private MetadataStore? _records;
    private long _stored;
    private bool _showedProgress;

    /// <summary>The virtual path (absolute, normalized).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath")]
    [AllowEmptyString]
    public string Path { get; set; } = string.Empty;

    /// <summary>The storage backend that holds the bytes (default: local).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Backend", "BackendId")]
    public string? BackendName { get; set; }

    /// <summary>Where the backend keeps the bytes (binds from a file's FullName too).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? PhysicalPath { get; set; }

    /// <summary>Size in bytes (binds from a file's Length too).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Length", "SizeBytes")]
    public long Size { get; set; }

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
        _records = Engine(store => new MetadataStore(store));
        _batch = new(MetadataStore.BatchSize, StopToken, Write);
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
                Size = Size,
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
        if (_showedProgress)
        {
            Progress("Storing Nexus file records", _stored, completed: true);
        }
    }

    private void Write(FileRecord[] batch)
    {
        IReadOnlyList<FileRecord>? stored = null;
        try
        {
            stored = _records!.Upsert(batch, PassThru, StopToken);
        }
        catch (NexusException e) when (IsItemError(e.Kind) && batch.Length > 1)
        {
            // Something only the database could see is wrong with an item: store the batch one by
            // one, so that the bad item alone is reported and every good one is kept.
            foreach (var record in batch)
            {
                Attempt(() => Emit(_records!.Upsert(new[] { record }, PassThru, StopToken)), record.Path);
            }

            return;
        }
        catch (NexusException e) when (!IsItemError(e.Kind) || batch.Length == 1)
        {
            if (IsItemError(e.Kind))
            {
                WriteItemError(e, batch[0].Path);
                return;
            }

            Terminate(e);
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C: the transaction was rolled back
        }

        Emit(stored!);
        _stored += batch.Length;
        if (_stored >= MetadataStore.BatchSize)
        {
            _showedProgress = true;
            Progress("Storing Nexus file records", _stored);
        }
    }

    private void Emit(IReadOnlyList<FileRecord> stored)
    {
        foreach (var record in stored)
        {
            WriteObject(record);
        }
    }
}
