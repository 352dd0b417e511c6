namespace Nexus.Core.Configuration;

/// <summary>The `pool:` mapping of a named store; each maps to an Npgsql pool keyword.</summary>
public sealed class PoolConfiguration
{
    /// <summary>Maximum Pool Size.</summary>
    public ConfigValue<int>? Max { get; internal set; }

    /// <summary>Minimum Pool Size.</summary>
    public ConfigValue<int>? Min { get; internal set; }

    /// <summary>Timeout: seconds to wait for a connection (a free pool slot included).</summary>
    public ConfigValue<int>? Timeout { get; internal set; }

    /// <summary>Connection Lifetime: seconds before a pooled connection is replaced.</summary>
    public ConfigValue<int>? Lifetime { get; internal set; }

    /// <summary>Connection Idle Lifetime: seconds an idle connection above the floor stays open.</summary>
    public ConfigValue<int>? IdleLifetime { get; internal set; }
}
