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

    /// <summary>The user the connection logs in as (PostgreSQL), never the password.</summary>
    public string? UserName { get; internal init; }

    /// <summary>The ADO.NET connection string, password included. Internal on purpose.</summary>
    internal string ConnectionString { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {DisplayName}";
}
