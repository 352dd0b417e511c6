using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Removes attributes from a file record.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusAttribute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNexusAttributeCommand : NexusFileCmdlet
{
    private AttributeStore? _attributes;

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
    protected override void BeginProcessing() => _attributes = Engine(store => new AttributeStore(store));

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

        Attempt(() =>
        {
            var removed = _attributes!.Remove(tenant, Path, Key);
            foreach (var key in Key.Where(k => !removed.Contains(k)))
            {
                WriteItemError(StoreErrors.NoAttribute(tenant, Path, key), key);
            }
        }, Path);
    }
}
