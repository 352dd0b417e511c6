using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// The provider's side of loading rows into a store: the one write transaction, typed parameters
/// for the prepared INSERT or upsert, emptying the tables and, where the provider has one, a bulk
/// path faster than row-by-row statements. Transfer/DatabaseSink drives it and owns the
/// connection; this class never commits, rolls back or closes anything but its bulk path.
/// </summary>
internal abstract class BulkSink
{
    protected BulkSink(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The transaction every write of the load runs in.</summary>
    public DbTransaction Transaction { get; }

    protected DbConnection Connection { get; }

    /// <summary>Deletes every row of <paramref name="childrenFirst"/>, inside the transaction.</summary>
    public abstract void EmptyTables(IReadOnlyList<string> childrenFirst);

    /// <summary>A parameter typed as the provider stores <paramref name="column"/>.</summary>
    public abstract DbParameter CreateParameter(string name, BulkColumn column);

    /// <summary>A value as a parameter made by <see cref="CreateParameter"/> takes it.</summary>
    public abstract object? ParameterValue(BulkColumn column, object? value);

    /// <summary>
    /// Starts writing one table row by row (off the bulk path) and returns the statement for one
    /// row, its values as parameters @p0, @p1, ... in <paramref name="columns"/>' order: an INSERT,
    /// or with <paramref name="conflictKey"/> an upsert on that key that updates every other column
    /// and returns the <paramref name="primaryKey"/> the destination keeps (no row when it wrote none).
    /// </summary>
    public virtual string BeginRows(string table, IReadOnlyList<string> columns, string primaryKey, IReadOnlyList<string>? conflictKey)
    {
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        return conflictKey is null ? sql : sql + Upsert(columns, primaryKey, conflictKey);
    }

    /// <summary>Adds the parameters of <see cref="BeginRows"/>'s statement beyond the columns' own (none here).</summary>
    public virtual void AddRowParameters(DbCommand command)
    {
    }

    /// <summary>
    /// Runs <see cref="BeginRows"/>'s statement for one row whose column parameters are set: the
    /// key the destination keeps when <paramref name="returnsKey"/>, else the rows written; null
    /// when it wrote no row.
    /// </summary>
    public virtual object? WriteRow(DbCommand command, bool returnsKey)
    {
        if (returnsKey)
        {
            return command.ExecuteScalar() is { } key and not DBNull ? key : null;
        }

        return command.ExecuteNonQuery() is var written and > 0 ? written : null;
    }

    /// <summary>The ON CONFLICT clause of an upsert made by <see cref="BeginRows"/>.</summary>
    protected static string Upsert(IReadOnlyList<string> columns, string primaryKey, IReadOnlyList<string> conflictKey)
    {
        var updates = columns.Where(n => n != primaryKey && !conflictKey.Contains(n)).Select(n => $"{n} = excluded.{n}");
        return $" ON CONFLICT ({string.Join(", ", conflictKey)}) DO UPDATE SET {string.Join(", ", updates)} RETURNING {primaryKey}";
    }

    /// <summary>
    /// Starts the bulk path for one table; false when the provider has none, and rows then go
    /// through the prepared INSERT.
    /// </summary>
    public virtual bool BeginBulk(string table, IReadOnlyList<BulkColumn> columns) => false;

    /// <summary>Writes one row on the bulk path (values as <see cref="BulkValueType"/> says).</summary>
    public virtual void WriteBulk(object?[] row) => throw new NotSupportedException("This provider has no bulk path.");

    /// <summary>Ends the bulk path of the current table, if one was begun.</summary>
    public virtual void EndBulk()
    {
    }

    /// <summary>Puts back what the bulk path took away (keys, indexes) once every table is loaded.</summary>
    public virtual void FinishLoad(Action<string> phase, string storeName)
    {
    }

    /// <summary>Runs after the transaction committed (e.g. fresh statistics for the loaded tables).</summary>
    public virtual void AfterCommit(IReadOnlyList<string> tables)
    {
    }
}
