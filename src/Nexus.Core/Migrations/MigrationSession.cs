using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// One migration run's hold on a store: the migration lock, taken once and kept for the whole
/// run, and the connection that holds it. Each step runs through <see cref="InStep"/>, atomic on
/// its own: a failing step is rolled back whole and the steps before it stay. What the lock is
/// and how a step is made atomic is the dialect's (<see cref="IMigrationLock"/>); the wait is here.
/// </summary>
internal sealed class MigrationSession : IDisposable
{
    private readonly IMigrationLock _lock;
    private readonly ISqlDialect _dialect;

    private MigrationSession(IMigrationLock migrationLock, ISqlDialect dialect)
    {
        _lock = migrationLock;
        _dialect = dialect;
    }

    /// <summary>The connection that holds the lock; steps that run here see the locked state.</summary>
    public DbConnection Connection => _lock.Connection;

    /// <summary>How long the lock took to get (time spent waiting for another process).</summary>
    public TimeSpan LockWait { get; private set; }

    /// <summary>Takes the store's migration lock, waiting up to <paramref name="timeout"/>.</summary>
    public static MigrationSession Begin(NexusStore store, TimeSpan timeout, Action<string>? log, CancellationToken cancellation)
    {
        var connection = store.OpenConnection(ConnectionIntent.Write);
        MigrationSession session;
        try
        {
            session = new MigrationSession(store.Dialect.Migration.CreateLock(connection), store.Dialect);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var announced = false;
            while (!session._lock.TryLock())
            {
                if (!announced)
                {
                    log?.Invoke($"Another process is migrating {store.Database}; waiting up to {timeout.TotalSeconds:0.#} s for its lock.");
                    announced = true;
                }

                if (clock.Elapsed >= timeout)
                {
                    throw new NexusException(NexusErrorKind.Timeout,
                        $"Another process held the migration lock on {store.Database} for longer than the lock timeout ({timeout.TotalSeconds:0.#} s), so nothing was changed.",
                        store.Database, hint: "Let it finish and run again, or raise -LockTimeout.");
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
    public IReadOnlyList<JournalEntry> ReadJournal() => MigrationJournal.ReadEntries(Connection, _dialect);

    /// <summary>Runs one step's work atomically on the lock's connection.</summary>
    public void InStep(Action<DbConnection, DbTransaction?> work) => _lock.InStep(work);

    /// <summary>Ends the run: keeps what the steps did and releases the lock.</summary>
    public void Complete() => _lock.Complete();

    public void Dispose()
    {
        try
        {
            _lock.Release();
        }
        finally
        {
            Connection.Dispose();
        }
    }
}
