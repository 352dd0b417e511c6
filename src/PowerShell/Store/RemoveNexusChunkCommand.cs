using System.Management.Automation;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Releases one reference to a content chunk (the count never goes below zero).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusChunk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChunkRecord))]
public sealed class RemoveNexusChunkCommand : NexusStoreCmdlet
{
    private readonly List<string> _batch = new(MetadataStore.BatchSize);
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
    protected override void BeginProcessing() => _chunks = Engine(store => new ChunkStore(store));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var hash in ContentHash)
        {
            if (!Attempt(() => ChunkStore.ValidateHash(hash), hash) || !ShouldProcess(hash, "Release a chunk reference"))
            {
                continue;
            }

            _batch.Add(hash);
            if (_batch.Count >= MetadataStore.BatchSize)
            {
                Flush();
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => Flush();

    private void Flush()
    {
        if (_batch.Count == 0 || StopToken.IsCancellationRequested)
        {
            return;
        }

        var hashes = _batch.ToArray();
        _batch.Clear();
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
    }
}
