using Nexus.Core.Store;

namespace Nexus.Core.Connection;

/// <summary>
/// A parsed, validated description of where a store lives. It keeps the real connection string
/// to itself: everything public about it is safe to print.
/// </summary>
public sealed class StoreTarget
{
    internal StoreTarget(StoreProvider provider, string connectionString, string displayName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        DisplayName = displayName;
    }

    /// <summary>Which database engine this is.</summary>
    public StoreProvider Provider { get; }

    /// <summary>The file path (SQLite), ":memory:", or host:port/database (PostgreSQL).</summary>
    public string DisplayName { get; }

    /// <summary>The SQLite file's full path; null for PostgreSQL and in-memory stores.</summary>
    public string? FilePath { get; internal init; }

    /// <summary>True for sqlite:///:memory: stores, which live as long as the store is open.</summary>
    public bool IsInMemory { get; internal init; }

    /// <summary>True for a store in one local file (SQLite): no server, no pool, a single writer.</summary>
    public bool IsEmbedded => Provider == StoreProvider.Sqlite;

    /// <summary>True for a server store with a connection pool (PostgreSQL).</summary>
    public bool IsPooled => !IsEmbedded;

    /// <summary>The user the connection logs in as (PostgreSQL), never the password.</summary>
    public string? UserName { get; internal init; }

    /// <summary>The named store (Connect-NexusStore -Name), or null.</summary>
    public string? Name { get; internal set; }

    /// <summary>Every effective setting and where it came from (never a password).</summary>
    public IReadOnlyList<StoreSetting> Settings { get; internal set; } = [];

    /// <summary>The replicas' hosts (host or host:port) that may serve reads.</summary>
    public IReadOnlyList<string> ReplicaHosts { get; internal set; } = [];

    /// <summary>Where reads go.</summary>
    public ReadPreference ReadPreference { get; internal set; }

    /// <summary>Seconds a replica may lag before reads skip it; null for no bound.</summary>
    public int? MaxReplicaLag { get; internal set; }

    /// <summary>What sits between the module and PostgreSQL.</summary>
    public PoolerMode Pooler { get; internal set; }

    /// <summary>A direct URL for migrations (behind PgBouncer); internal: it may carry a password.</summary>
    internal string? MigrationConnectionString { get; set; }

    /// <summary>The ADO.NET connection string, password included. Internal on purpose.</summary>
    internal string ConnectionString { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {DisplayName}";
}
