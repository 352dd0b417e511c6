using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// Hands out open connections to one database. A store has a primary source today; replicas or
/// shards are further sources chosen by <see cref="Store.ConnectionIntent"/>.
/// </summary>
internal interface IConnectionSource : IDisposable
{
    /// <summary>Opens a connection, configured for the store (pragmas, pooling).</summary>
    DbConnection Open();

    /// <summary>Drops the idle pooled connections (after one was found dead, the rest likely are too).</summary>
    void ClearPool();

    /// <summary>Opens a connection for what the caller means to do (reads may go to a replica).</summary>
    DbConnection Open(ConnectionIntent intent) => Open();

    /// <summary>The servers behind the source and their measured state (PostgreSQL with replicas).</summary>
    IReadOnlyList<StoreHost> Hosts => [];

    /// <summary>Takes the notes about which host served writes (for -Verbose) made since the last call.</summary>
    IReadOnlyList<string> TakeNotes() => [];
}
