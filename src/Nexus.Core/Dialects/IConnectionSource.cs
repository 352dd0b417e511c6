using System.Data.Common;

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
}
