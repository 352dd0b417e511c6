namespace Nexus.Core.Connection;

/// <summary>Where a store sends its reads (writes always go to the primary).</summary>
public enum ReadPreference
{
    /// <summary>Every read goes to the primary.</summary>
    Primary,

    /// <summary>Reads go to a replica when one is up and within max_replica_lag, else to the primary.</summary>
    PreferReplica,
}
