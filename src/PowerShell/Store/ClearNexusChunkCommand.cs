using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Deletes unreferenced content chunks (not protected any more) and emits what it deleted, so the caller can delete the blobs.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "NexusChunk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ChunkRecord))]
public sealed class ClearNexusChunkCommand : NexusStoreCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var chunks = Engine(store => new ChunkStore(store));
        var now = DbTime.UtcNow();
        IReadOnlyList<ChunkRecord> candidates = Array.Empty<ChunkRecord>();
        if (!Attempt(() => candidates = chunks.Collectable(now), null))
        {
            return;
        }

        var approved = new List<string>();
        foreach (var chunk in candidates)
        {
            if (ShouldProcess(chunk.ContentHash, $"Delete unreferenced chunk stored at '{chunk.StoragePath}'"))
            {
                approved.Add(chunk.ContentHash);
            }
        }

        for (var start = 0; start < approved.Count; start += MetadataStore.BatchSize)
        {
            var batch = approved.GetRange(start, Math.Min(MetadataStore.BatchSize, approved.Count - start));
            IReadOnlyList<ChunkRecord> deleted = Array.Empty<ChunkRecord>();
            if (!Attempt(() => deleted = chunks.Delete(batch, now, StopToken), null))
            {
                return;
            }

            foreach (var chunk in deleted)
            {
                WriteObject(chunk);
            }
        }
    }
}
