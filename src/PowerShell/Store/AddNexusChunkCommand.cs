using System.Management.Automation;
using Nexus.Core.Engines;
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

    /// <summary>
    /// Size in bytes: a whole number, or text that spells one. Anything else (a fraction, 1e30,
    /// 'abc') is an error for that chunk, never rounded or skipped.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Length")]
    public object? Size { get; set; }

    /// <summary>Where the chunk's bytes are stored.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [AllowEmptyString]
    public string StoragePath { get; set; } = string.Empty;

    /// <summary>
    /// Garbage collection keeps the chunk until this time even without references (extends, never
    /// shortens). A value that is not a date and time is an error for that chunk, never "no protection".
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? ProtectedUntil { get; set; }

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
        if (!Attempt(() => chunk = ChunkStore.Check(Chunk()), ContentHash)
            || !ShouldProcess(chunk!.ContentHash, "Add a chunk reference"))
        {
            return;
        }

        _batch!.Add(chunk!);
    }

    private ChunkRecord Chunk()
    {
        const string Advice = "Nothing was added for this chunk.";
        return new ChunkRecord
        {
            ContentHash = ContentHash,
            Size = PipelineValues.WholeNumber(nameof(Size), Size, Advice),
            StoragePath = StoragePath,
            ProtectedUntil = PipelineValues.Time(nameof(ProtectedUntil), ProtectedUntil, Advice),
        };
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
