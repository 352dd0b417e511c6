using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>Two file records are the same record when tenant and path match, byte for byte.</summary>
internal sealed class SameRecord : IEqualityComparer<FileRecord>
{
    public static SameRecord Instance { get; } = new();

    public bool Equals(FileRecord? x, FileRecord? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null
            && string.Equals(x.Path, y.Path, StringComparison.Ordinal)
            && string.Equals(x.Tenant, y.Tenant, StringComparison.Ordinal));

    public int GetHashCode(FileRecord record) => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(record.Path), StringComparer.Ordinal.GetHashCode(record.Tenant));
}
