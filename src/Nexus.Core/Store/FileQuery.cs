namespace Nexus.Core.Store;

/// <summary>What a listing asks for: a tenant, a path prefix, attribute values, deleted or not, a page.</summary>
public sealed class FileQuery
{
    /// <summary>The tenant to list.</summary>
    public string Tenant { get; set; } = Tenants.Default;

    /// <summary>True when <see cref="Tenant"/> is <see cref="Tenants.All"/>: list across every tenant.</summary>
    public bool AllTenants => Tenant == Tenants.All;

    /// <summary>Only paths that start with this text ('/' lists everything).</summary>
    public string Prefix { get; set; } = "/";

    /// <summary>Also list soft-deleted records.</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>
    /// Key → JSON text: records whose attribute of that key contains the value (jsonb containment:
    /// equal scalars, objects with at least those members, arrays with at least those elements,
    /// and an array attribute contains a scalar element).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; set; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>Records to skip (in path order).</summary>
    public long Skip { get; set; }

    /// <summary>The most records to return, or null for all.</summary>
    public long? Take { get; set; }
}
