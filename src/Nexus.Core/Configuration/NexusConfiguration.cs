using Nexus.Core.Connection;

namespace Nexus.Core.Configuration;

/// <summary>
/// A parsed configuration file: the original system's top-level keys (database_url, pool_size,
/// max_overflow, pool_recycle, read_replica_url) and the named stores.
/// </summary>
public sealed class NexusConfiguration
{
    internal NexusConfiguration(string filePath) => FilePath = filePath;

    /// <summary>The file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The default store's URL.</summary>
    public ConfigValue<string>? DatabaseUrl { get; internal set; }

    /// <summary>The environment variable holding the default store's password.</summary>
    public ConfigValue<string>? PasswordEnv { get; internal set; }

    /// <summary>The default store's replica.</summary>
    public ConfigValue<string>? ReadReplicaUrl { get; internal set; }

    /// <summary>SQLAlchemy's pool_size: connections kept (with max_overflow, the ceiling).</summary>
    public ConfigValue<int>? PoolSize { get; internal set; }

    /// <summary>SQLAlchemy's max_overflow: connections allowed beyond pool_size.</summary>
    public ConfigValue<int>? MaxOverflow { get; internal set; }

    /// <summary>SQLAlchemy's pool_recycle: seconds before a connection is replaced.</summary>
    public ConfigValue<int>? PoolRecycle { get; internal set; }

    /// <summary>The default store's pooler (none or pgbouncer-transaction).</summary>
    public ConfigValue<PoolerMode>? Pooler { get; internal set; }

    /// <summary>The default store's direct URL for migrations behind PgBouncer.</summary>
    public ConfigValue<string>? MigrationUrl { get; internal set; }

    /// <summary>The named stores, by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, NamedStoreConfiguration> Stores { get; internal set; } =
        new Dictionary<string, NamedStoreConfiguration>(StringComparer.OrdinalIgnoreCase);

    /// <summary>"file:line", for error messages and Get-NexusStore.</summary>
    public string Where(int line) => $"{FilePath}:{line}";
}
