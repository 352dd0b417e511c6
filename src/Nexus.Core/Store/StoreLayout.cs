namespace Nexus.Core.Store;

/// <summary>
/// How a PostgreSQL store's tables are laid out. Plain is today's form (and the only one SQLite
/// has, and the one the original system can write); Partitioned hashes file_paths and
/// file_metadata by tenant into declarative partitions; Distributed shards them by tenant on Citus.
/// The two keyed layouts carry tenant_id in every key of those two tables
/// (Dialects/Postgres/Layouts/tenant_keyed.sql).
/// </summary>
public enum StoreLayoutKind
{
    Plain,
    Partitioned,
    Distributed,
}

/// <summary>A store's layout and, for the keyed layouts, its number of partitions or shards.</summary>
public sealed record StoreLayout(StoreLayoutKind Kind, int Partitions)
{
    /// <summary>The partitions a partitioned layout gets unless told otherwise.</summary>
    public const int DefaultPartitions = 16;

    public static StoreLayout Plain { get; } = new(StoreLayoutKind.Plain, 0);

    /// <summary>True when tenant_id is in every key of file_paths and file_metadata.</summary>
    public bool IsTenantKeyed => Kind != StoreLayoutKind.Plain;

    /// <summary>The layout's name as users type it: plain, partitioned or distributed.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();

    public override string ToString() => IsTenantKeyed ? $"{Name} ({Partitions})" : Name;
}
