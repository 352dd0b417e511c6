using System.Management.Automation;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Adds a content chunk with one reference, or one more reference to a chunk with that hash (atomically).</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "NexusChunk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ChunkRecord))]
public sealed class AddNexusChunkCommand : NexusStoreCmdlet
{
    private const string ProgressActivity = "Adding Nexus chunk references";
    private PipelineBatch<ChunkRecord>? _batch;
    private ChunkStore? _chunks;

    /// <summary>The content hash that names the chunk (1–64 characters).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Hash", "ETag")]
    [AllowEmptyString]
    public string ContentHash { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Length")]
    public long Size { get; set; }

    /// <summary>Where the chunk's bytes are stored.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [AllowEmptyString]
    public string StoragePath { get; set; } = string.Empty;

    /// <summary>Garbage collection keeps the chunk until this time even without references (extends, never shortens).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTime? ProtectedUntil { get; set; }

    /// <summary>Emits each chunk as stored (with its reference count).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _chunks = Engine(store => new ChunkStore(store));
        _batch = new(MetadataStore.BatchSize, StopToken, Write);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        ChunkRecord? chunk = null;
        if (!Attempt(() => chunk = ChunkStore.Check(new ChunkRecord { ContentHash = ContentHash, Size = Size, StoragePath = StoragePath, ProtectedUntil = ProtectedUntil }), ContentHash)
            || !ShouldProcess(chunk!.ContentHash, "Add a chunk reference"))
        {
            return;
        }

        _batch!.Add(chunk!);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _batch!.Flush();
        EndBulkProgress(ProgressActivity);
    }

    private void Write(ChunkRecord[] batch) =>
        Attempt(() =>
        {
            var stored = _chunks!.Add(batch, StopToken);
            if (PassThru)
            {
                foreach (var chunk in stored)
                {
                    WriteObject(chunk);
                }
            }

            BulkProgress(ProgressActivity, batch.Length);
        }, batch.Length == 1 ? batch[0].ContentHash : null);
}
