using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// One migration run's hold on a store: the migration lock, taken once and kept for the whole
/// run, and the connection that holds it. Each step runs through <see cref="InStep"/>, atomic on
/// its own: a failing step is rolled back whole and the steps before it stay.
/// </summary>
internal abstract class MigrationSession : IDisposable
{
    protected MigrationSession(NexusStore store, DbConnection connection)
    {
        Store = store;
        Connection = connection;
    }

    /// <summary>The connection that holds the lock; steps that run here see the locked state.</summary>
    public DbConnection Connection { get; }

    /// <summary>How long the lock took to get (time spent waiting for another process).</summary>
    public TimeSpan LockWait { get; protected set; }

    protected NexusStore Store { get; }

    /// <summary>Takes the store's migration lock, waiting up to <paramref name="timeout"/>.</summary>
    public static MigrationSession Begin(NexusStore store, TimeSpan timeout, Action<string>? log, CancellationToken cancellation)
    {
        MigrationSession session = store.Provider == StoreProvider.Sqlite
            ? new SqliteMigrationSession(store, store.OpenConnection(ConnectionIntent.Write))
            : new PostgresMigrationSession(store, store.OpenConnection(ConnectionIntent.Write));
        try
        {
            var clock = Stopwatch.StartNew();
            var announced = false;
            while (!session.TryLock())
            {
                if (!announced)
                {
                    log?.Invoke($"Another process is migrating {store.Database}; waiting up to {timeout.TotalSeconds:0.#} s for its lock.");
                    announced = true;
                }

                if (clock.Elapsed >= timeout)
                {
                    throw new NexusException(NexusErrorKind.Timeout,
                        $"Another process held the migration lock on {store.Database} for longer than the lock timeout ({timeout.TotalSeconds:0.#} s), so nothing was changed. Let it finish and run again, or raise -LockTimeout.",
                        store.Database);
                }

                if (cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100)))
                {
                    throw new OperationCanceledException(cancellation);
                }
            }

            session.LockWait = clock.Elapsed;
            log?.Invoke($"Took the migration lock on {store.Database} after {session.LockWait.TotalMilliseconds:0} ms.");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The journal as seen under the lock.</summary>
    public IReadOnlyList<JournalEntry> ReadJournal() => MigrationJournal.ReadEntries(Connection, Store.Dialect, Transaction);

    /// <summary>Runs one step's work atomically on the lock's connection.</summary>
    public abstract void InStep(Action<DbConnection, DbTransaction?> work);

    /// <summary>Ends the run: keeps what the steps did and releases the lock.</summary>
    public abstract void Complete();

    /// <summary>The transaction commands on <see cref="Connection"/> must join, if any.</summary>
    protected virtual DbTransaction? Transaction => null;

    protected abstract bool TryLock();

    protected abstract void Release();

    public void Dispose()
    {
        try
        {
            Release();
        }
        finally
        {
            Connection.Dispose();
        }
    }
}
