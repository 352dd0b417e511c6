using System.Runtime.CompilerServices;
using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace Nexus.Core.Transfer;

/// <summary>
/// PostgreSQL destination. One transaction for the whole transfer. Without -Merge, rows go in by
/// binary COPY into tables whose keys, foreign keys and secondary indexes were dropped inside the
/// same transaction, and <see cref="FinishLoad"/> rebuilds them all, by their names, from the
/// definitions the catalog held before (a sorted bulk build is much faster than growing indexes
/// row by row), then checks the catalog shows exactly those definitions again. Nobody else ever
/// sees the tables without their indexes: the DDL is transactional and holds the table locks.
/// Under -Merge, rows go through a prepared upsert instead and nothing is dropped.
/// </summary>
internal sealed class PostgresSink : DatabaseSink
{
    private readonly NpgsqlConnection _npgsql;
    private NpgsqlBinaryImporter? _importer;
    private NpgsqlDbType[] _types = [];
    private IReadOnlyList<PostgresSchemaObject>? _dropped;

    public PostgresSink(NexusStore store, TransferMode mode)
        : base(store, mode)
    {
        _npgsql = (NpgsqlConnection)Connection;
        Transaction = _npgsql.BeginTransaction();
        // Index builds after the load use this much memory each (session default is 64 MB).
        Connection.Execute("SET LOCAL maintenance_work_mem = '256MB'", Transaction);
    }

    public override void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        if (Mode == TransferMode.Merge)
        {
            base.Begin(table, columns);
            return;
        }

        if (_dropped is null)
        {
            _dropped = PostgresSchemaObject.Capture(_npgsql, Transaction);
            PostgresSchemaObject.Drop(_npgsql, Transaction, _dropped);
        }

        _types = columns.Select(TypeOf).ToArray();
        _importer = _npgsql.BeginBinaryImport(
            $"COPY {table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)");
        _importer.Timeout = TimeSpan.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object?[] Write(object?[] row)
    {
        if (_importer is null)
        {
            return base.Write(row);
        }

        _importer.StartRow();
        for (var i = 0; i < row.Length; i++)
        {
            switch (row[i])
            {
                case null:
                    _importer.WriteNull();
                    break;
                case long number when _types[i] == NpgsqlDbType.Integer:
                    _importer.Write(checked((int)number), NpgsqlDbType.Integer);
                    break;
                case long number:
                    _importer.Write(number, NpgsqlDbType.Bigint);
                    break;
                case Guid id:
                    _importer.Write(id, NpgsqlDbType.Uuid);
                    break;
                case DateTime time:
                    _importer.Write(time, NpgsqlDbType.TimestampTz);
                    break;
                case string text:
                    _importer.Write(text, _types[i]);
                    break;
            }
        }

        return row;
    }

    public override void End()
    {
        if (_importer is not null)
        {
            _importer.Complete();
            _importer.Dispose();
            _importer = null;
        }

        base.End();
    }

    public override void FinishLoad(Action<string> phase)
    {
        if (_dropped is null)
        {
            return;
        }

        phase("Rebuilding keys and indexes");
        PostgresSchemaObject.Restore(_npgsql, Transaction, _dropped);
        var now = PostgresSchemaObject.Capture(_npgsql, Transaction);
        var missing = _dropped.Except(now).ToList();
        var extra = now.Except(_dropped).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"After the load the indexes and constraints of {Store.Database} differ from before (missing: {string.Join("; ", missing)}; unexpected: {string.Join("; ", extra)}). Nothing was committed.",
                Store.Database);
        }
    }

    public override void Commit(IReadOnlyList<TableTransferResult> results)
    {
        base.Commit(results);
        // Fresh statistics, so the first queries on the new data get sensible plans.
        foreach (var table in TransferTable.All)
        {
            Connection.Execute($"ANALYZE {table.Name}");
        }
    }

    protected override void DeleteEverything() =>
        Connection.Execute("TRUNCATE file_metadata, file_paths, content_chunks", Transaction);

    protected override DbParameter CreateParameter(DbCommand command, string name, TransferColumn column) =>
        new NpgsqlParameter { ParameterName = name, NpgsqlDbType = TypeOf(column) };

    protected override object? ToParameterValue(TransferColumn column, object? value) =>
        value is long number && column.IsInt32 ? checked((int)number) : value;

    private static NpgsqlDbType TypeOf(TransferColumn column) => column.Kind switch
    {
        ColumnKind.Uuid => NpgsqlDbType.Uuid,
        ColumnKind.Json => NpgsqlDbType.Jsonb,
        ColumnKind.Timestamp => NpgsqlDbType.TimestampTz,
        ColumnKind.Integer => column.IsInt32 ? NpgsqlDbType.Integer : NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Text,
    };
}
