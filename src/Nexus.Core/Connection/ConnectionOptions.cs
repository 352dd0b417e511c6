namespace Nexus.Core.Connection;

/// <summary>Settings that come from parameters rather than from the connection string itself.</summary>
public sealed class ConnectionOptions
{
    /// <summary>Replaces the user name of the connection string (from -Credential).</summary>
    public string? UserName { get; init; }

    /// <summary>Replaces the password of the connection string (from -Credential).</summary>
    public string? Password { get; init; }

    /// <summary>PostgreSQL pool ceiling (Maximum Pool Size).</summary>
    public int? MaxPoolSize { get; init; }

    /// <summary>PostgreSQL pool floor (Minimum Pool Size).</summary>
    public int? MinPoolSize { get; init; }

    /// <summary>Seconds a command may run before it is cancelled; on SQLite also the busy wait.</summary>
    public int? CommandTimeout { get; init; }

    /// <summary>PostgreSQL: seconds a new connection may take (Npgsql Timeout); default the command timeout, at most 15.</summary>
    public int? ConnectTimeout { get; init; }

    /// <summary>The folder relative SQLite paths are resolved against (PowerShell's current location).</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Seconds to wait for a connection, a free pool slot included (Npgsql Timeout).</summary>
    public int? PoolTimeout { get; init; }

    /// <summary>Seconds before a pooled connection is replaced (Connection Lifetime; 0 = never).</summary>
    public int? ConnectionLifetime { get; init; }

    /// <summary>Seconds an idle pooled connection above the floor stays open (Connection Idle Lifetime).</summary>
    public int? ConnectionIdleLifetime { get; init; }

    /// <summary>
    /// PgBouncer in transaction mode sits in front: no reset on close, no automatic preparation
    /// (a server connection is only ours for one transaction).
    /// </summary>
    public bool BehindTransactionPooler { get; init; }
}
