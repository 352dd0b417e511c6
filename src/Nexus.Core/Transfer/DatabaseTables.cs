using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Reads the three tables of a store row by row (streaming, nothing buffered) and answers the
/// small questions a transfer asks of a database: which columns, how many rows, any rows at all.
/// Table and column names come from <see cref="TransferTable"/>, never from user input.
/// </summary>
internal static class DatabaseTables
{
    public static IReadOnlyList<string> ListColumns(DbConnection connection, DbTransaction? transaction, StoreProvider provider, string table)
    {
        var sql = provider == StoreProvider.Sqlite
            ? "SELECT name FROM pragma_table_info(@t) ORDER BY cid"
            : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position";
        using var command = connection.CreateCommand(sql, transaction);
        command.AddParameter("@t", table);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public static long Count(DbConnection connection, DbTransaction? transaction, TransferTable table) =>
        connection.Scalar<long>($"SELECT count(*) FROM {table.Name}", transaction);

    public static bool HasRows(DbConnection connection, DbTransaction? transaction, TransferTable table) =>
        connection.Scalar<long>($"SELECT count(*) FROM (SELECT 1 FROM {table.Name} LIMIT 1) AS t", transaction) > 0;

    /// <summary>Streams the table's rows as the database returns them (raw, not yet canonical).</summary>
    public static IEnumerable<object?[]> Read(
        DbConnection connection,
        DbTransaction? transaction,
        StoreProvider provider,
        TransferTable table,
        IReadOnlyList<TransferColumn> columns,
        bool ordered,
        CancellationToken cancel)
    {
        var select = string.Join(", ", columns.Select(c =>
            provider == StoreProvider.PostgreSql && c.Kind == ColumnKind.Json ? $"{c.Name}::text" : c.Name));
        var sql = $"SELECT {select} FROM {table.Name}" + (ordered ? $" ORDER BY {table.PrimaryKey}" : string.Empty);
        using var command = connection.CreateCommand(sql, transaction);
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
