using System.Data.Common;
using Nexus.Core.Dialects;

namespace Nexus.Core.Transfer;

/// <summary>
/// Reads the three tables of a store row by row (streaming, nothing buffered) and answers the
/// small questions a transfer asks of a database: how many rows, any rows at all (the columns
/// come from the dialect's ListColumns).
/// Table and column names come from <see cref="TransferTable"/>, never from user input.
/// </summary>
internal static class DatabaseTables
{
    public static long Count(DbConnection connection, DbTransaction? transaction, TransferTable table) =>
        connection.Scalar<long>($"SELECT count(*) FROM {table.Name}", transaction);

    public static bool HasRows(DbConnection connection, DbTransaction? transaction, TransferTable table) =>
        connection.Scalar<long>($"SELECT count(*) FROM (SELECT 1 FROM {table.Name} LIMIT 1) AS t", transaction) > 0;

    /// <summary>Streams the table's rows as the database returns them (raw, not yet canonical); with <paramref name="where"/>, only those rows.</summary>
    public static IEnumerable<object?[]> Read(
        DbConnection connection,
        DbTransaction? transaction,
        ITransferSql sql,
        TransferTable table,
        IReadOnlyList<TransferColumn> columns,
        bool ordered,
        CancellationToken cancel,
        string? where = null)
    {
        var select = string.Join(", ", columns.Select(c => c.Kind == ColumnKind.Json ? sql.JsonAsText(c.Name) : c.Name));
        var query = $"SELECT {select} FROM {table.Name}" + (where is null ? string.Empty : $" WHERE {where}") + (ordered ? $" ORDER BY {table.PrimaryKey}" : string.Empty);
        using var command = connection.CreateCommand(query, transaction);
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        var width = columns.Count;
        while (reader.Read())
        {
            var row = new object?[width];
            reader.GetValues(row!);
            yield return row;
            cancel.ThrowIfCancellationRequested();
        }
    }
}
