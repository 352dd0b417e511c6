using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the attributes of a file record: one value per -Key, or all of them as one object.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusAttribute")]
[OutputType(typeof(PSObject))]
public sealed class GetNexusAttributeCommand : NexusFileCmdlet
{
    private AttributeStore? _attributes;

    /// <summary>The record's virtual path, taken exactly as written (this cmdlet names one record: no wildcards, no escapes). -LiteralPath and -LP are other names for it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath", "LiteralPath", "LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Path { get; set; } = string.Empty;

    /// <summary>Keys whose values to return, each as itself; without -Key, one object with every attribute.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(AttributeKeyCompleter))]
    public string[]? Key { get; set; }

    /// <summary>
    /// How strings that look like ISO-8601 UTC timestamps come back: DateTime (the default) or String,
    /// the text exactly as stored, so a value read and written back (Set-NexusAttribute) stays byte for
    /// byte the same, as ConvertFrom-Json -DateKind String does.
    /// </summary>
    [Parameter]
    public AttributeDateKind DateKind { get; set; } = AttributeDateKind.DateTime;

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

        Attempt(() =>
        {
            var attributes = _attributes!.Get(tenant, Path);
            if (Key is null)
            {
                WriteObject(AttributeObjects.From(attributes, DateKind));
                return;
            }

            foreach (var key in Key)
            {
                var found = attributes.Where(a => a.Key == key).Select(a => a.Value).FirstOrDefault();
                if (found is null)
                {
                    WriteItemError(StoreErrors.NoAttribute(tenant, Path, key), key);
                    continue;
                }

                WriteObject(AttributeJsonReader.FromJson(found, DateKind), enumerateCollection: false);
            }
        }, Path);
    }
}
