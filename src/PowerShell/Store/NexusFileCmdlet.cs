using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>The base of the record and attribute cmdlets: the common -Tenant parameter.</summary>
public abstract class NexusFileCmdlet : NexusStoreCmdlet
{
    /// <summary>
    /// The tenant (1–36 characters). Without it, the default tenant
    /// 00000000-0000-0000-0000-000000000000. Binds from piped records' Tenant property.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(TenantCompleter))]
    public string Tenant { get; set; } = Tenants.Default;

    /// <summary>The tenant of the current item, checked; writes an item error and returns null when it is bad.</summary>
    protected string? CheckedTenant()
    {
        try
        {
            return Tenants.Validate(Tenant);
        }
        catch (NexusException e)
        {
            WriteItemError(e, Tenant);
            return null;
        }
    }
}
