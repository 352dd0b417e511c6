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
}
