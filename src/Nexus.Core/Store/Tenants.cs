namespace Nexus.Core.Store;

/// <summary>Tenant ids the store itself relies on.</summary>
public static class Tenants
{
    /// <summary>
    /// The tenant of rows that have none: the original system allowed a NULL tenant id, this
    /// module's schema does not, so adoption and the store cmdlets use this id instead.
    /// </summary>
    public const string Default = "default";
}
