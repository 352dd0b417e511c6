using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Removes attributes from a file record.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusAttribute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNexusAttributeCommand : NexusFileCmdlet
{
    private const string ProgressActivity = "Removing Nexus attributes";
    private AttributeStore? _attributes;
    private OverlappedBatch<AttributeChange, BatchOutcome<object>>? _batch;

    /// <summary>The record's virtual path, taken exactly as written (this cmdlet names one record: no wildcards, no escapes). -LiteralPath and -LP are other names for it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath", "LiteralPath", "LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Path { get; set; } = string.Empty;

    /// <summary>The keys to remove.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AttributeKeyCompleter))]
    public string[] Key { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        (_attributes, _batch) = BulkWriter(store => new AttributeStore(store), SameAttributeRecord.Instance, StoreBatch, Finish);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var tenant = CheckedTenant();
        if (tenant is null || !Attempt(() => PathRules.ValidateLiteral(Path), Path))
        {
            return;
        }

        if (!ShouldProcess(Path, $"Remove attribute(s) {string.Join(", ", Key)}"))
        {
            return;
        }

        _batch!.Add(new AttributeChange(tenant, Path, Key.Select(k => new KeyValuePair<string, string>(k, string.Empty)).ToArray()));
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

    // On a pool thread: touches only the store.
    private BatchOutcome<object> StoreBatch(AttributeChange[] batch) =>
        BatchOutcome<object>.Store(batch, (removals, outcome) =>
        {
            var removed = _attributes!.RemoveMany(removals, StopToken);
            for (var i = 0; i < removals.Length; i++)
            {
                var (tenant, path, keys) = removals[i];
                if (removed[i] is not { } existed)
                {
                    outcome.AddItemError(StoreErrors.NoRecord(tenant, path), path);
                    continue;
                }

                outcome.AddStored(1, Array.Empty<object>());
                var left = existed.ToList();
                foreach (var (key, _) in keys)
                {
                    if (!left.Remove(key))
                    {
                        outcome.AddItemError(StoreErrors.NoAttribute(tenant, path, key), key);
                    }
                }
            }
        }, removal => removal.Path, IsItemError);

    private void Finish(BatchOutcome<object> outcome) => FinishBatch(outcome, WriteObject, ProgressActivity);
}
