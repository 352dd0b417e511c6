using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Gets content chunks: by hash, all of them, or only those with no references.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusChunk")]
[OutputType(typeof(ChunkRecord))]
public sealed class GetNexusChunkCommand : NexusStoreCmdlet
{
    private ChunkStore? _chunks;

    /// <summary>Content hashes to get; without it, every chunk in byte-wise hash order.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Hash", "ETag")]
    [AllowEmptyString]
    public string[]? ContentHash { get; set; }

    /// <summary>Only chunks whose reference count is 0.</summary>
    [Parameter]
    public SwitchParameter Unreferenced { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => _chunks = Engine(store => new ChunkStore(store));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ContentHash is null)
        {
            Attempt(() =>
            {
                foreach (var chunk in _chunks!.List(Unreferenced))
                {
                    if (StopToken.IsCancellationRequested)
                    {
                        return;
                    }

                    WriteObject(chunk);
                }
            }, null);
            return;
        }

        foreach (var hash in ContentHash)
        {
            Attempt(() =>
            {
                var chunk = _chunks!.Get(ChunkStore.ValidateHash(hash)) ?? throw StoreErrors.NoChunk(hash);
                if (!Unreferenced || chunk.RefCount == 0)
                {
                    WriteObject(chunk);
                }
            }, hash);
        }
    }
}
