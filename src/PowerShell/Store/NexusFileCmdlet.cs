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

    /// <summary>
    /// Sorts the -Path values of one pipeline item for a cmdlet that batches literal paths: a
    /// malformed path is an InvalidArgument error naming it; a good literal path is queued for
    /// <paramref name="tenant"/> when <paramref name="accept"/> agrees (ShouldProcess, for
    /// removals); a wildcard path first writes what is queued, then goes to <paramref name="pattern"/>.
    /// </summary>
    internal void QueuePaths(string tenant, IEnumerable<string> paths, TenantPathBatch queue, Func<string, bool> accept, Action<string, WildcardPath> pattern)
    {
        queue.UseTenant(tenant);
        foreach (var path in paths)
        {
            if (StopToken.IsCancellationRequested)
            {
                return;
            }

            var wildcard = WildcardPath.TryCreate(path);
            if (wildcard is not null)
            {
                queue.Flush();
                pattern(path, wildcard);
            }
            else if (PathRules.Problem(path, isPrefix: false) is not null)
            {
                Attempt(() => PathRules.Validate(path), path);
            }
            else if (accept(path))
            {
                queue.Add(path);
            }
        }
    }
}
