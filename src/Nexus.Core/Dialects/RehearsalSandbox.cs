using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// Where a migration rehearsal runs: a connection whose changes never reach the store (SQLite: a
/// copy of the file; PostgreSQL: a transaction that is always rolled back). Disposing it throws the
/// changes away.
/// </summary>
internal abstract class RehearsalSandbox : IDisposable
{
    protected RehearsalSandbox(DbConnection connection, DbTransaction? transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction? Transaction { get; }

    /// <summary>How the rehearsal runs, for the help text and -Verbose.</summary>
    public abstract string Description { get; }

    /// <summary>Runs one statement; returns the rows it inserted, updated or deleted (0 for DDL).</summary>
    public abstract long Execute(string statement);

    /// <summary>Throws when the step just run left a broken foreign key (what the real run checks before keeping a step).</summary>
    public abstract void CheckStep();

    public abstract void Dispose();
}
