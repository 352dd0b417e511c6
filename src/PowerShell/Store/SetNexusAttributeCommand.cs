using System.Collections;
using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Sets attributes (key/value metadata) of a file record; several at once in one transaction.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NexusAttribute", DefaultParameterSetName = SingleSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject))]
public sealed class SetNexusAttributeCommand : NexusFileCmdlet
{
    private const string SingleSet = "Single";
    private const string ManySet = "Many";
    private AttributeStore? _attributes;

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

    /// <summary>Several attributes at once (@{ key = value; … }), set in one transaction: all or none.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManySet)]
    public IDictionary? Attributes { get; set; }

    /// <summary>Emits all attributes of the record afterwards, as one object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => _attributes = Engine(store => new AttributeStore(store));

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

            foreach (DictionaryEntry entry in Attributes!)
            {
                var key = AttributeRules.ValidateKey((entry.Key is PSObject wrapped ? wrapped.BaseObject : entry.Key)?.ToString());
                values.Add(new(key, AttributeJsonWriter.ToJson(key, entry.Value)));
            }
        }, null);
        if (!converted || values.Count == 0)
        {
            return;
        }

        if (!ShouldProcess(Path, $"Set attribute(s) {string.Join(", ", values.Select(v => v.Key))}"))
        {
            return;
        }

        Attempt(() =>
        {
            _attributes!.Set(tenant, Path, values);
            if (PassThru)
            {
                WriteObject(AttributeObjects.From(_attributes.Get(tenant, Path)));
            }
        }, Path);
    }
}
