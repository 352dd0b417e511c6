namespace Nexus.Core.Connection;

/// <summary>Where an effective store setting came from, highest precedence first.</summary>
public enum SettingSource
{
    /// <summary>A Connect-NexusStore parameter.</summary>
    Parameter,

    /// <summary>An environment variable (NEXUS_DATABASE_URL, NEXUS_DB_POOL_SIZE, …).</summary>
    Environment,

    /// <summary>The configuration file (nexus.yaml, ~/.nexus/config.yaml, NEXUS_CONFIG, -ConfigPath).</summary>
    File,

    /// <summary>The module's (or Npgsql's) default.</summary>
    Default,
}
