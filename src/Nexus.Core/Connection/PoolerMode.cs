namespace Nexus.Core.Connection;

/// <summary>What sits between the module and PostgreSQL.</summary>
public enum PoolerMode
{
    /// <summary>A direct connection to PostgreSQL.</summary>
    None,

    /// <summary>PgBouncer in transaction mode: no session state survives a transaction.</summary>
    PgBouncerTransaction,
}
