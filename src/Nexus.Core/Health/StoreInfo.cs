namespace Nexus.Core.Health;

/// <summary>What Get-NexusStoreInfo reports about a store: sizes, rows, tenants, schema and connections.</summary>
public sealed class StoreInfo
{
    /// <summary>SQLite or PostgreSql.</summary>
    public required Store.StoreProvider Provider { get; init; }

    /// <summary>The store's display name (file path, or host:port/database).</summary>
    public required string Database { get; init; }

    /// <summary>The database engine's version.</summary>
    public string? ServerVersion { get; internal set; }

    /// <summary>The newest journaled migration, or null.</summary>
    public string? SchemaRevision { get; internal set; }

    /// <summary>The newest migration this module knows.</summary>
    public string? HeadRevision { get; internal set; }

    /// <summary>Nexus (journaled), Original (the original Nexus's tables, not adopted yet), Empty, or Unknown.</summary>
    public string? Layout { get; internal set; }

    /// <summary>SQLite: the journal mode (wal, delete…). PostgreSQL: null.</summary>
    public string? JournalMode { get; internal set; }

    /// <summary>SQLite: the store file's size in bytes.</summary>
    public long? FileSize { get; internal set; }

    /// <summary>SQLite: the write-ahead log's size in bytes (0 when there is none).</summary>
    public long? WalSize { get; internal set; }

    /// <summary>The whole database's size in bytes (PostgreSQL: pg_database_size; SQLite: file plus WAL).</summary>
    public long? DatabaseSize { get; internal set; }

    /// <summary>Each table of the store's schema with its rows (and size on PostgreSQL).</summary>
    public IReadOnlyList<TableInfo> Tables { get; internal set; } = Array.Empty<TableInfo>();

    /// <summary>Each tenant with its live and soft-deleted records.</summary>
    public IReadOnlyList<TenantInfo> Tenants { get; internal set; } = Array.Empty<TenantInfo>();

    /// <summary>PostgreSQL: connections of this store's pool in use now (null when the driver does not say; SQLite: null).</summary>
    public int? PoolInUse { get; internal set; }

    /// <summary>PostgreSQL: idle connections in this store's pool (null when the driver does not say; SQLite: null).</summary>
    public int? PoolIdle { get; internal set; }

    /// <summary>The pool ceiling (PostgreSQL).</summary>
    public int? MaxPoolSize { get; internal set; }

    /// <summary>How far the furthest read replica lags behind (measured from WAL positions); null without replicas.</summary>
    public TimeSpan? ReplicaLag { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {Database}";
}

/// <summary>One table of a store: its rows, and its size where the database tells.</summary>
public sealed class TableInfo
{
    public required string Name { get; init; }

    /// <summary>Rows in the table: counted, or the planner's estimate when <see cref="RowsEstimated"/>.</summary>
    public long Rows { get; init; }

    /// <summary>True when <see cref="Rows"/> is PostgreSQL's estimate (pg_class.reltuples), not a count.</summary>
    public bool RowsEstimated { get; init; }

    /// <summary>PostgreSQL: table, indexes and TOAST in bytes. SQLite: null.</summary>
    public long? SizeBytes { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Rows} rows)";
}

/// <summary>One tenant of a store and its records.</summary>
public sealed class TenantInfo
{
    public required string Tenant { get; init; }

    /// <summary>Live (not soft-deleted) records.</summary>
    public long Records { get; init; }

    /// <summary>Soft-deleted records still kept.</summary>
    public long Deleted { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Tenant} ({Records} records)";
}
