using System.Runtime.CompilerServices;
using System.Data.Common;
using Nexus.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL destination. One transaction for the whole transfer. On the bulk path, rows go in
/// by binary COPY into tables whose keys, foreign keys and secondary indexes were dropped inside
/// the same transaction, and <see cref="FinishLoad"/> rebuilds them all, by their names, from the
/// definitions the catalog held before (a sorted bulk build is much faster than growing indexes
/// row by row), then checks the catalog shows exactly those definitions again. Nobody else ever
/// sees the tables without their indexes: the DDL is transactional and holds the table locks.
/// Under -Merge the transfer does not take the bulk path: rows go through a prepared upsert
/// instead and nothing is dropped.
/// </summary>
internal sealed class PostgresBulkSink : BulkSink
{
    private readonly NpgsqlConnection _npgsql;
    private NpgsqlBinaryImporter? _importer;
    private NpgsqlDbType[] _types = [];
    private IReadOnlyList<PostgresSchemaObject>? _dropped;

    /// <param name="keysDropped">
    /// True for a staging table whose keys and indexes were dropped already (and are rebuilt by
    /// its owner, <see cref="PostgresStagedKeys"/>): the bulk path then drops nothing.
    /// </param>
    public PostgresBulkSink(DbConnection connection, bool keysDropped = false)
        : base(connection, ((NpgsqlConnection)connection).BeginTransaction())
    {
        _npgsql = (NpgsqlConnection)connection;
        _dropped = keysDropped ? [] : null;
        // Index builds after the load use this much memory each (session default is 64 MB).
        Connection.Execute("SET LOCAL maintenance_work_mem = '256MB'", Transaction);
    }

    public override bool BeginBulk(string table, IReadOnlyList<BulkColumn> columns)
    {
        if (_dropped is null)
        {
            _dropped = PostgresSchemaObject.Capture(_npgsql, Transaction);
            PostgresSchemaObject.Drop(_npgsql, Transaction, _dropped);
        }

        _types = columns.Select(TypeOf).ToArray();
        _importer = _npgsql.BeginBinaryImport(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)");
        _importer.Timeout = TimeSpan.Zero;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void WriteBulk(object?[] row)
    {
        var importer = _importer!;
        importer.StartRow();
        for (var i = 0; i < row.Length; i++)
        {
            switch (row[i])
            {
                case null:
                    importer.WriteNull();
                    break;
                case long number when _types[i] == NpgsqlDbType.Integer:
                    importer.Write(checked((int)number), NpgsqlDbType.Integer);
                    break;
                case long number:
                    importer.Write(number, NpgsqlDbType.Bigint);
                    break;
                case Guid id:
                    importer.Write(id, NpgsqlDbType.Uuid);
                    break;
                case DateTime time:
                    importer.Write(time, NpgsqlDbType.TimestampTz);
                    break;
                case string text:
                    importer.Write(text, _types[i]);
                    break;
            }
        }
    }

    public override void EndBulk()
    {
        if (_importer is not null)
        {
            _importer.Complete();
            _importer.Dispose();
            _importer = null;
        }
    }

    public override void FinishLoad(Action<string> phase, string storeName)
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
                $"After the load the indexes and constraints of {storeName} differ from before (missing: {string.Join("; ", missing)}; unexpected: {string.Join("; ", extra)}). Nothing was committed.",
                storeName);
        }
    }

    public override void AfterCommit(IReadOnlyList<string> tables)
    {
        // Fresh statistics, so the first queries on the new data get sensible plans.
        foreach (var table in tables)
        {
            Connection.Execute($"ANALYZE {table}");
        }
    }

    public override void EmptyTables(IReadOnlyList<string> childrenFirst) =>
        Connection.Execute($"TRUNCATE {string.Join(", ", childrenFirst)}", Transaction);

    public override DbParameter CreateParameter(string name, BulkColumn column) =>
        new NpgsqlParameter { ParameterName = name, NpgsqlDbType = TypeOf(column) };

    public override object? ParameterValue(BulkColumn column, object? value) =>
        value is long number && column.Type == BulkValueType.Int32 ? checked((int)number) : value;

    private static NpgsqlDbType TypeOf(BulkColumn column) => column.Type switch
    {
        BulkValueType.Uuid => NpgsqlDbType.Uuid,
        BulkValueType.Json => NpgsqlDbType.Jsonb,
        BulkValueType.Timestamp => NpgsqlDbType.TimestampTz,
        BulkValueType.Int32 => NpgsqlDbType.Integer,
        BulkValueType.Int64 => NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Text,
    };
}
