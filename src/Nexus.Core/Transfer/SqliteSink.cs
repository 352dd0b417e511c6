using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>SQLite destination: one IMMEDIATE transaction, prepared commands, text ids and times.</summary>
internal sealed class SqliteSink : DatabaseSink
{
    public SqliteSink(NexusStore store, TransferMode mode)
        : base(store, mode)
    {
        Transaction = ((SqliteConnection)Connection).BeginTransaction(deferred: false);
    }

    protected override void DeleteEverything()
    {
        Connection.Execute("DELETE FROM file_metadata", Transaction);
        Connection.Execute("DELETE FROM file_paths", Transaction);
        Connection.Execute("DELETE FROM content_chunks", Transaction);
    }

    protected override DbParameter CreateParameter(DbCommand command, string name, TransferColumn column) =>
        new SqliteParameter { ParameterName = name, SqliteType = column.Kind == ColumnKind.Integer ? SqliteType.Integer : SqliteType.Text };

    protected override object? ToParameterValue(TransferColumn column, object? value) => value switch
    {
        null => null,
        Guid id => id.ToString("D"),
        DateTime time => DbTime.ToSqliteText(time),
        _ => value,
    };
}
