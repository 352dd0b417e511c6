using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Dialects;
using Nexus.Core.Dialects.Sqlite;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// SQLite: the lock is a BEGIN IMMEDIATE write transaction on the migration connection, held for
/// the whole run, so the journal is read and every step runs under it. DbUp runs each up script
/// on that same connection without a transaction of its own; each step is a SAVEPOINT, rolled
/// back alone when it fails, and the run commits once at the end.
/// </summary>
internal sealed class SqliteMigrationSession : MigrationSession
{
    private readonly int _busyTimeoutMs;
    private bool _inTransaction;
    private int _steps;

    public SqliteMigrationSession(NexusStore store, DbConnection connection)
        : base(store, connection)
    {
        _busyTimeoutMs = connection.Scalar<int>("PRAGMA busy_timeout");
        // Table rebuilds (copy-and-swap) must not fire ON DELETE CASCADE; each step checks
        // foreign keys itself before it is kept. The pragma only takes effect outside a transaction.
        connection.Execute("PRAGMA foreign_keys=OFF");
        // The wait for the lock is ours (honouring -LockTimeout), not SQLite's busy handler.
        connection.Execute("PRAGMA busy_timeout=0");
    }

    protected override bool TryLock()
    {
        try
        {
            // Microsoft.Data.Sqlite retries a busy database itself for the command timeout; keep
            // that to one second so the caller's loop decides when the wait is over.
            using var begin = Connection.CreateCommand("BEGIN IMMEDIATE");
            begin.CommandTimeout = 1;
            begin.ExecuteNonQuery();
            _inTransaction = true;
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteErrorCodes.Busy or SqliteErrorCodes.Locked)
        {
            return false;
        }
    }

    public override void InStep(Action<DbConnection, DbTransaction?> work)
    {
        var savepoint = $"nexus_step_{++_steps}";
        Connection.Execute($"SAVEPOINT {savepoint}");
        try
        {
            work(Connection, null);
            using (var check = Connection.CreateCommand("PRAGMA foreign_key_check"))
            using (var reader = check.ExecuteReader())
            {
                if (reader.Read())
                {
                    throw new NexusException(NexusErrorKind.MigrationFailed,
                        $"the step left a row in {reader.GetString(0)} whose {reader.GetString(2)} reference is broken (PRAGMA foreign_key_check)");
                }
            }

            Connection.Execute($"RELEASE {savepoint}");
        }
        catch
        {
            Connection.Execute($"ROLLBACK TO {savepoint}");
            Connection.Execute($"RELEASE {savepoint}");
            throw;
        }
    }

    public override void Complete()
    {
        if (_inTransaction)
        {
            _inTransaction = false;
            Connection.Execute("COMMIT");
        }
    }

    protected override void Release()
    {
        if (_inTransaction)
        {
            _inTransaction = false;
            Connection.Execute("ROLLBACK");
        }

        // The connection goes back to the pool: restore what every store connection has.
        Connection.Execute("PRAGMA foreign_keys=ON");
        Connection.Execute($"PRAGMA busy_timeout={_busyTimeoutMs}");
    }
}
