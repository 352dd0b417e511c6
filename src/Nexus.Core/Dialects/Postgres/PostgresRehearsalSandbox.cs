using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// A rehearsal inside one transaction on one connection, always rolled back: PostgreSQL's DDL is
/// transactional, so the store ends exactly as it was. The locks the steps' DDL takes are held
/// until the rollback, as they would be by a real run.
/// </summary>
internal sealed class PostgresRehearsalSandbox : RehearsalSandbox
{
    private PostgresRehearsalSandbox(DbConnection connection, DbTransaction transaction)
        : base(connection, transaction)
    {
    }

    public override string Description => "one transaction on the store itself that is always rolled back";

    public static PostgresRehearsalSandbox Open(Func<ConnectionIntent, DbConnection> openConnection)
    {
        var connection = openConnection(ConnectionIntent.Write);
        try
        {
            return new PostgresRehearsalSandbox(connection, connection.BeginTransaction());
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override long Execute(string statement)
    {
        using var command = Connection.CreateCommand(statement, Transaction);
        return Math.Max(0, command.ExecuteNonQuery());
    }

    public override void CheckStep()
    {
        // Foreign keys are checked by every statement here; nothing is deferred.
    }

    public override void Dispose()
    {
        try
        {
            Transaction!.Rollback();
        }
        catch (DbException)
        {
            // A broken connection rolls back on the server by itself.
        }
        finally
        {
            Transaction!.Dispose();
            Connection.Dispose();
        }
    }
}
