using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// SQLite's side of export, import, copy and backup: a deferred transaction is a WAL snapshot,
/// JSON is text already, loads go through prepared commands in one IMMEDIATE transaction, and a
/// store file is backed up with VACUUM INTO.
/// </summary>
internal sealed class SqliteTransferSql : ITransferSql
{
    public IFileBackup? FileBackup { get; } = new SqliteFileBackup();

    public DbTransaction BeginSnapshotRead(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public string JsonAsText(string column) => column;

    public string NonFiniteCandidates(string column) => $"(instr({column}, 'NaN') > 0 OR instr({column}, 'Infinity') > 0)";

    public BulkSink OpenBulkSink(DbConnection connection) => new SqliteBulkSink(connection);
}
