using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Lists the tenants that hold records, with how many live and soft-deleted records each holds.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusTenant")]
[OutputType(typeof(TenantInfo))]
public sealed class GetNexusTenantCommand : NexusStoreCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var records = Engine(store => new MetadataStore(store));
        Attempt(() =>
        {
            foreach (var tenant in records.ListTenants())
            {
                WriteObject(tenant);
            }
        }, null);
    }
}
