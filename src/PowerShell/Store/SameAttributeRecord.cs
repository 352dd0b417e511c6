using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>Two attribute changes touch the same record when tenant and path match, byte for byte.</summary>
internal sealed class SameAttributeRecord : IEqualityComparer<AttributeChange>
{
    public static SameAttributeRecord Instance { get; } = new();

    public bool Equals(AttributeChange? x, AttributeChange? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null
            && string.Equals(x.Path, y.Path, StringComparison.Ordinal)
            && string.Equals(x.Tenant, y.Tenant, StringComparison.Ordinal));

    public int GetHashCode(AttributeChange change) => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(change.Path), StringComparer.Ordinal.GetHashCode(change.Tenant));
}
