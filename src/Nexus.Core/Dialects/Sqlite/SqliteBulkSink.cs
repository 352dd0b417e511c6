using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite destination: one IMMEDIATE transaction, prepared commands, text ids and times; no bulk path.</summary>
internal sealed class SqliteBulkSink : BulkSink
{
    public SqliteBulkSink(DbConnection connection)
        : base(connection, ((SqliteConnection)connection).BeginTransaction(deferred: false))
    {
    }

    public override void EmptyTables(IReadOnlyList<string> childrenFirst)
    {
        foreach (var table in childrenFirst)
        {
            Connection.Execute($"DELETE FROM {table}", Transaction);
        }
    }

    public override DbParameter CreateParameter(string name, BulkColumn column) =>
        new SqliteParameter
        {
            ParameterName = name,
            SqliteType = column.Type is BulkValueType.Int32 or BulkValueType.Int64 ? SqliteType.Integer : SqliteType.Text,
        };

    public override object? ParameterValue(BulkColumn column, object? value) => value switch
    {
        null => null,
        Guid id => id.ToString("D"),
        DateTime time => DbTime.ToSqliteText(time),
        _ => value,
    };
}
