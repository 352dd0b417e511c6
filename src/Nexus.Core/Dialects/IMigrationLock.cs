using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// A database's migration lock over one connection, and how a migration step runs under it. The
/// wait for the lock (timeout, cancellation, messages) is the migration engine's; the lock only
/// answers whether it could be taken now.
/// </summary>
internal interface IMigrationLock
{
    /// <summary>The connection that holds the lock; steps that run here see the locked state.</summary>
    DbConnection Connection { get; }

    /// <summary>Takes the lock if it is free now; false when another process holds it.</summary>
    bool TryLock();

    /// <summary>Runs one step's work atomically on <see cref="Connection"/>: a failing step is rolled back whole.</summary>
    void InStep(Action<DbConnection, DbTransaction?> work);

    /// <summary>Ends the run: keeps what the steps did.</summary>
    void Complete();

    /// <summary>Releases the lock (undoing what was not completed) and restores the connection for its pool.</summary>
    void Release();
}
