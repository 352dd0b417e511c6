namespace Nexus.Core.Dialects;

/// <summary>The facts about a store that only its database can tell: sizes, tables, journal mode, pool.</summary>
internal sealed class StoreSizes
{
    /// <summary>SQLite: the journal mode (wal, delete…). PostgreSQL: null.</summary>
    public string? JournalMode { get; init; }

    /// <summary>SQLite: the store file's size in bytes.</summary>
    public long? FileSize { get; init; }

    /// <summary>SQLite: the write-ahead log's size in bytes (0 when there is none).</summary>
    public long? WalSize { get; init; }

    /// <summary>The whole database's size in bytes.</summary>
    public long? DatabaseSize { get; init; }

    /// <summary>Each table of the store's schema.</summary>
    public IReadOnlyList<TableSize> Tables { get; init; } = [];

    /// <summary>PostgreSQL: connections of the store's pool in use now (null when the driver does not say).</summary>
    public int? PoolInUse { get; init; }

    /// <summary>PostgreSQL: idle connections in the store's pool (null when the driver does not say).</summary>
    public int? PoolIdle { get; init; }
}
