using Nexus.Core.Connection;

namespace Nexus.Core.Configuration;

/// <summary>One entry of the file's `stores:` map (Connect-NexusStore -Name).</summary>
public sealed class NamedStoreConfiguration
{
    internal NamedStoreConfiguration(string name, int line)
    {
        Name = name;
        Line = line;
    }

    /// <summary>The store's name, the key under `stores:`.</summary>
    public string Name { get; }

    /// <summary>The line the store's entry starts on.</summary>
    public int Line { get; }

    /// <summary>The primary's URL (no password).</summary>
    public ConfigValue<string>? Url { get; internal set; }

    /// <summary>The environment variable holding the password.</summary>
    public ConfigValue<string>? PasswordEnv { get; internal set; }

    /// <summary>Pool settings.</summary>
    public PoolConfiguration Pool { get; } = new();

    /// <summary>Streaming replicas that may serve reads.</summary>
    public ConfigValue<IReadOnlyList<string>>? ReadReplicaUrls { get; internal set; }

    /// <summary>primary or prefer-replica.</summary>
    public ConfigValue<ReadPreference>? ReadPreference { get; internal set; }

    /// <summary>Seconds a replica may lag before reads skip it.</summary>
    public ConfigValue<int>? MaxReplicaLag { get; internal set; }

    /// <summary>none or pgbouncer-transaction.</summary>
    public ConfigValue<PoolerMode>? Pooler { get; internal set; }

    /// <summary>A direct (not pooled) URL for migrations behind PgBouncer.</summary>
    public ConfigValue<string>? MigrationUrl { get; internal set; }
}
