using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// The store that cmdlets use when no -Store is given: one per runspace, so that each
/// ForEach-Object -Parallel runspace (and each job) has its own.
/// </summary>
internal static class DefaultStore
{
    private static readonly ConditionalWeakTable<Runspace, NexusStore> Stores = new();

    public static NexusStore? Get()
    {
        var runspace = Runspace.DefaultRunspace;
        return runspace is not null && Stores.TryGetValue(runspace, out var store) ? store : null;
    }

    public static void Set(NexusStore store)
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return;
        }

        Stores.AddOrUpdate(runspace, store);
    }

    /// <summary>Forgets the default if it is this store.</summary>
    public static void Clear(NexusStore store)
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is not null && Stores.TryGetValue(runspace, out var current) && ReferenceEquals(current, store))
        {
            Stores.Remove(runspace);
        }
    }
}
