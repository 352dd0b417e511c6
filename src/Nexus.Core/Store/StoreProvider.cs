namespace Nexus.Core.Store;

/// <summary>The database engine behind a store.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file (or an in-memory database).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    PostgreSql,
}
