using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// PostgreSQL: the lock is a session advisory lock on a dedicated connection, held for the whole
/// run (every host migrating the same database contends for it). DbUp applies up scripts on its
/// own pooled connections, a transaction each; down steps and adoption run in a transaction on
/// the lock's connection.
/// </summary>
internal sealed class PostgresMigrationSession : MigrationSession
{
    /// <summary>The advisory lock key: "NexusMig" in ASCII, the same for every Nexus module version.</summary>
    public const long LockKey = 0x4E65787573_4D6967;

    private bool _locked;

    public PostgresMigrationSession(NexusStore store, DbConnection connection)
        : base(store, connection)
    {
    }

    protected override bool TryLock()
    {
        using var command = Connection.CreateCommand("SELECT pg_try_advisory_lock(@key)");
        command.AddParameter("key", LockKey);
        _locked = (bool)command.ExecuteScalar()!;
        return _locked;
    }

    public override void InStep(Action<DbConnection, DbTransaction?> work)
    {
        using var transaction = Connection.BeginTransaction();
        work(Connection, transaction);
        transaction.Commit();
    }

    public override void Complete()
    {
    }

    protected override void Release()
    {
        if (!_locked)
        {
            return;
        }

        _locked = false;
        try
        {
            using var command = Connection.CreateCommand("SELECT pg_advisory_unlock(@key)");
            command.AddParameter("key", LockKey);
            command.ExecuteScalar();
        }
        catch (DbException)
        {
            // A broken connection is discarded by the pool, and its session lock with it.
        }
    }
}
