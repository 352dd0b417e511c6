using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// SQLite's part of migrating: the lock is a write transaction (<see cref="SqliteMigrationLock"/>),
/// columns are dynamically typed (no declared types to check), JSON is always text, and a
/// column's default can only be given when its table is created.
/// </summary>
internal sealed class SqliteMigrationSql : IMigrationSql
{
    /// <summary>The time of an insert in the form the module writes (ISO-8601 UTC; SQLite keeps milliseconds).</summary>
    private const string Now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    public IMigrationLock CreateLock(DbConnection connection) => new SqliteMigrationLock(connection);

    public bool UpScriptsRunInStep => true;

    public string TableCountSql(string table) =>
        $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";

    public T ReadExisting<T>(StoreTarget target, Func<DbConnection, T> read, T whenMissing)
    {
        if (target.IsInMemory || target.FilePath is null || !File.Exists(target.FilePath))
        {
            return whenMissing;
        }

        var builder = new SqliteConnectionStringBuilder(target.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        return read(connection);
    }

    public OfflineScriptSql OfflineScript { get; } = new(
        "SQLite",
        // Table rebuilds must not fire ON DELETE CASCADE; the pragma only works outside a transaction.
        Prologue: "PRAGMA foreign_keys=OFF;\n",
        StepCheck: "PRAGMA foreign_key_check;\n",
        Epilogue: "\nPRAGMA foreign_keys=ON;\n",
        Now: "strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')");

    public string ColumnTypesSql => "SELECT name, lower(type) FROM pragma_table_info(@table)";

    public IReadOnlyList<string>? OriginalTypes(OriginalColumnKind kind) => null;

    public string? NotJsonCondition(string column) => $"{column} IS NOT NULL AND NOT json_valid({column})";

    public string? NotUuidCondition(string column) => null;

    /// <summary>SQLite cannot add a default to an existing column, so file_metadata is created with it.</summary>
    public string WithInsertTimeDefault(string statement)
    {
        if (!statement.TrimStart().StartsWith("CREATE TABLE file_metadata ", StringComparison.Ordinal))
        {
            return statement;
        }

        const string column = "updated_at  TEXT NOT NULL";
        var at = statement.LastIndexOf(column, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new NexusException(NexusErrorKind.MigrationFailed,
                "Adoption could not give file_metadata.updated_at its default: migration 0001's file_metadata no longer has the expected column; nothing was changed.", "Adopt");
        }

        return statement.Insert(at + column.Length, $" DEFAULT ({Now})");
    }

    // The default came with the table; JSON is text here, so there is nothing to keep.
    public (bool KeepsJsonText, string? Note) AfterAdoptedTablesCreated(DbConnection connection, DbTransaction? transaction, bool keepOriginalTypes) =>
        (false, null);

    public void ClearOwnIndexes(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> tables)
    {
        foreach (var index in connection.Strings(
                     $"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))})", transaction))
        {
            connection.Execute($"DROP INDEX \"{index}\"", transaction);
        }
    }

    /// <summary>
    /// Row by row, so that each timestamp is checked: they are kept as the original wrote them
    /// ('2024-03-01 08:30:15.123456' or ISO-8601 with T/Z): the module reads both, and the
    /// original's reader keeps reading its own rows.
    /// </summary>
    public void CopyAdoptedRows(DbConnection connection, DbTransaction? transaction, string from, string to, IReadOnlyList<AdoptedColumn> columns, bool keepJsonText)
    {
        using var read = connection.CreateCommand($"SELECT {string.Join(", ", columns.Select(c => c.Source))} FROM {from}", transaction);
        using var insert = connection.CreateCommand(
            $"INSERT INTO {to} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})", transaction);
        var parameters = columns.Select((_, i) => insert.AddParameter($"@p{i}", null)).ToArray();
        insert.Prepare();
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                parameters[i].Value = value is null ? columns[i].WhenNull ?? DBNull.Value
                    : columns[i].Kind == OriginalColumnKind.Time ? CheckedTime(value, to, columns[i].Name)
                    : value;
            }

            insert.ExecuteNonQuery();
        }
    }

    /// <summary>An original timestamp as its text, after checking that the module can read it.</summary>
    private static string CheckedTime(object value, string table, string column)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        try
        {
            DbTime.FromText(text);
        }
        catch (FormatException)
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"{table}.{column} holds '{text}', which is not a timestamp; nothing was changed.", "Adopt", hint: "Correct or clear that value first.");
        }

        return text;
    }

    public string? ConvertJsonTextValues(DbConnection connection, DbTransaction? transaction) => null;
}
