using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Releases one reference to a content chunk (the count never goes below zero).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusChunk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChunkRecord))]
public sealed class RemoveNexusChunkCommand : NexusStoreCmdlet
{
    private const string ProgressActivity = "Releasing Nexus chunk references";
    private PipelineBatch<string>? _batch;
    private ChunkStore? _chunks;

    /// <summary>The content hashes to release one reference of.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Hash", "ETag")]
    [AllowEmptyString]
    public string[] ContentHash { get; set; } = Array.Empty<string>();

    /// <summary>Emits each chunk afterwards (with its new reference count).</summary>
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
        foreach (var hash in ContentHash)
        {
            if (!Attempt(() => ChunkStore.ValidateHash(hash), hash) || !ShouldProcess(hash, "Release a chunk reference"))
            {
                continue;
            }

            _batch!.Add(hash);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _batch!.Flush();
        EndBulkProgress(ProgressActivity);
    }

    private void Write(string[] hashes)
    {
        IReadOnlyDictionary<string, ChunkRecord>? released = null;
        if (!Attempt(() => released = _chunks!.Release(hashes, StopToken), null))
        {
            return;
        }

        foreach (var hash in hashes)
        {
            if (!released!.TryGetValue(hash, out var chunk))
            {
                WriteItemError(StoreErrors.NoChunk(hash), hash);
            }
            else if (PassThru)
            {
                WriteObject(chunk);
            }
        }

        BulkProgress(ProgressActivity, released!.Count);
    }
}
