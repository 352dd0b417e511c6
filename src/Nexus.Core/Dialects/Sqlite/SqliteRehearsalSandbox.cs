using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// A rehearsal on a VACUUM INTO copy of the store in the temp folder, deleted afterwards. The
/// store file is only read. Foreign keys are off during the steps, as in a real run (table
/// rebuilds must not cascade), and checked after each step.
/// </summary>
internal sealed class SqliteRehearsalSandbox : RehearsalSandbox
{
    private readonly string _copy;

    private SqliteRehearsalSandbox(SqliteConnection connection, string copy)
        : base(connection, null)
    {
        _copy = copy;
    }

    public override string Description => $"a copy of the store made with VACUUM INTO at {_copy} (deleted afterwards)";

    public static SqliteRehearsalSandbox Open(Func<ConnectionIntent, DbConnection> openConnection)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"nexus-rehearsal-{Guid.NewGuid():N}.db");
        try
        {
            using (var source = openConnection(ConnectionIntent.Read))
            {
                SqliteFileBackup.VacuumInto(source, copy);
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            connection.Open();
            connection.Execute("PRAGMA foreign_keys=OFF");
            return new SqliteRehearsalSandbox(connection, copy);
        }
        catch
        {
            Delete(copy);
            throw;
        }
    }

    public override long Execute(string statement)
    {
        var before = Connection.Scalar<long>("SELECT total_changes()");
        Connection.Execute(statement);
        return Connection.Scalar<long>("SELECT total_changes()") - before;
    }

    public override void CheckStep()
    {
        using var check = Connection.CreateCommand("PRAGMA foreign_key_check");
        using var reader = check.ExecuteReader();
        if (reader.Read())
        {
            throw new NexusException(NexusErrorKind.MigrationFailed,
                $"the step left a row in {reader.GetString(0)} whose {reader.GetString(2)} reference is broken (PRAGMA foreign_key_check)");
        }
    }

    public override void Dispose()
    {
        Connection.Dispose();
        Delete(_copy);
    }

    private static void Delete(string copy)
    {
        foreach (var suffix in new[] { string.Empty, "-journal", "-wal", "-shm" })
        {
            File.Delete(copy + suffix);
        }
    }
}
