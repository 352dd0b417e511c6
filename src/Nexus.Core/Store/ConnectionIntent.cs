namespace Nexus.Core.Store;

/// <summary>
/// What a caller means to do with a connection. Today every intent goes to the primary
/// database; read replicas or shards can route <see cref="Read"/> elsewhere without any cmdlet
/// changing how it asks.
/// </summary>
public enum ConnectionIntent
{
    /// <summary>The connection will change data (or must see the latest committed state).</summary>
    Write,

    /// <summary>The connection only reads and may be served by a replica.</summary>
    Read,
}
