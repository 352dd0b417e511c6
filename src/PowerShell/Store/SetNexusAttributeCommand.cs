using System.Collections;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Sets attributes (key/value metadata) of file records; piped items are written in batched transactions.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NexusAttribute", DefaultParameterSetName = SingleSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject))]
public sealed class SetNexusAttributeCommand : NexusFileCmdlet
{
    private const string SingleSet = "Single";
    private const string ManySet = "Many";
    private const string ProgressActivity = "Storing Nexus attributes";
    private AttributeStore? _attributes;
    private OverlappedBatch<AttributeChange, BatchOutcome<IReadOnlyList<KeyValuePair<string, string>>>>? _batch;

    /// <summary>The record's virtual path, taken exactly as written (this cmdlet names one record: no wildcards, no escapes). -LiteralPath and -LP are other names for it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath", "LiteralPath", "LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Path { get; set; } = string.Empty;

    /// <summary>The attribute key (1–255 characters).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SingleSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(AttributeKeyCompleter))]
    public string Key { get; set; } = string.Empty;

    /// <summary>The value: any string, number, boolean, $null, DateTime, array, hashtable or [pscustomobject] (at most 1 MiB as JSON).</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = SingleSet, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public object? Value { get; set; }

    /// <summary>Several attributes at once (@{ key = value; … }), all or none; piped objects with an Attributes property bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManySet, ValueFromPipelineByPropertyName = true)]
    public IDictionary? Attributes { get; set; }

    /// <summary>Emits all attributes of the record afterwards, as one object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

        var values = new List<KeyValuePair<string, string>>();
        var converted = Attempt(() =>
        {
            if (ParameterSetName == SingleSet)
            {
                values.Add(new(AttributeRules.ValidateKey(Key), AttributeJsonWriter.ToJson(Key, Value)));
                return;
            }

            values.AddRange(AttributeJsonWriter.ToAttributes(Attributes!));
        }, null);
        if (!converted || values.Count == 0)
        {
            return;
        }

        if (!ShouldProcess(Path, $"Set attribute(s) {string.Join(", ", values.Select(v => v.Key))}"))
        {
            return;
        }

        _batch!.Add(new AttributeChange(tenant, Path, values));
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

    // On a pool thread: touches only the store (and reads -PassThru, bound before the first item).
    private BatchOutcome<IReadOnlyList<KeyValuePair<string, string>>> StoreBatch(AttributeChange[] batch) =>
        BatchOutcome<IReadOnlyList<KeyValuePair<string, string>>>.Store(batch, (changes, outcome) =>
        {
            var stored = _attributes!.SetMany(changes, PassThru, StopToken);
            for (var i = 0; i < changes.Length; i++)
            {
                if (stored[i] is { } attributes)
                {
                    outcome.AddStored(1, PassThru ? new[] { attributes } : Array.Empty<IReadOnlyList<KeyValuePair<string, string>>>());
                }
                else
                {
                    outcome.AddItemError(StoreErrors.NoRecord(changes[i].Tenant, changes[i].Path), changes[i].Path);
                }
            }
        }, change => change.Path, IsItemError);

    private void Finish(BatchOutcome<IReadOnlyList<KeyValuePair<string, string>>> outcome) => FinishBatch(outcome, attributes => WriteObject(AttributeObjects.From(attributes)), ProgressActivity);
}
