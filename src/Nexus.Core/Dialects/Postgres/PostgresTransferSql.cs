using System.Data;
using System.Data.Common;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL's side of export, import and copy: REPEATABLE READ, READ ONLY is the snapshot, jsonb
/// is read as text, loads go in by binary COPY (<see cref="PostgresBulkSink"/>). A server has no
/// file backup here: pg_dump or Export-NexusData do that job.
/// </summary>
internal sealed class PostgresTransferSql : ITransferSql
{
    public IFileBackup? FileBackup => null;

    public DbTransaction BeginSnapshotRead(DbConnection connection)
    {
        var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        try
        {
            connection.Execute("SET TRANSACTION READ ONLY", transaction);
            return transaction;
        }
        catch
        {
            transaction.Dispose();
            throw;
        }
    }

    public string JsonAsText(string column) => $"{column}::text";

    // jsonb cannot hold them (its numbers are numeric), so only a column kept as text (a store
    // adopted with -KeepOriginalTypes) is searched; the type test spares jsonb its text output.
    public string NonFiniteCandidates(string column) =>
        $"(pg_typeof({column}) <> 'jsonb'::regtype AND (strpos({column}::text, 'NaN') > 0 OR strpos({column}::text, 'Infinity') > 0))";

    private readonly PostgresLayoutSql _layouts = new();

    // The layout decides how file_metadata is written (a tenant-keyed one derives its tenant_id).
    public BulkSink OpenBulkSink(DbConnection connection) => new PostgresBulkSink(connection, layout: _layouts.Read(connection));
}
