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
/// Into a tenant-keyed layout (partitioned, distributed), file_metadata also needs tenant_id, the
/// tenant of its file, which no source row carries: the rows go into a temporary table first and
/// one INSERT ... SELECT joined to file_paths moves them in with it (under -Merge, each upsert
/// gets it from a temporary path_id → tenant_id table, since the keyed file_paths has no index on
/// path_id alone). Nothing is gathered in this process's memory.
/// </summary>
internal sealed class PostgresBulkSink : BulkSink
{
    private const string MetadataTable = "file_metadata";
    private const string LoadTable = "nexus_load_file_metadata";
    private const string TenantsTable = "nexus_path_tenants";

    private readonly NpgsqlConnection _npgsql;
    private readonly StoreLayout _layout;
    private NpgsqlBinaryImporter? _importer;
    private NpgsqlDbType[] _types = [];
    private IReadOnlyList<PostgresSchemaObject>? _dropped;
    private IReadOnlyList<string>? _derivingColumns;
    private NpgsqlCommand? _tenantLookup;
    private NpgsqlParameter? _tenant;
    private bool _derivingRows;
    private int _rowParent;
    private object? _lastPath;
    private string? _lastTenant;

    /// <param name="keysDropped">
    /// True for a staging table whose keys and indexes were dropped already (and are rebuilt by
    /// its owner, <see cref="PostgresStagedKeys"/>): the bulk path then drops nothing.
    /// </param>
    /// <param name="layout">The destination's layout (plain when null, as staging tables are).</param>
    public PostgresBulkSink(DbConnection connection, bool keysDropped = false, StoreLayout? layout = null)
        : base(connection, ((NpgsqlConnection)connection).BeginTransaction())
    {
        _npgsql = (NpgsqlConnection)connection;
        _layout = layout ?? StoreLayout.Plain;
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
        var names = string.Join(", ", columns.Select(c => c.Name));
        if (DerivesTenant(table))
        {
            _derivingColumns = columns.Select(c => c.Name).ToList();
            Run($"CREATE TEMPORARY TABLE {LoadTable} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA");
            table = LoadTable;
        }

        _importer = _npgsql.BeginBinaryImport($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)");
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

        if (_derivingColumns is { } columns)
        {
            _derivingColumns = null;
            MoveWithTenants(columns);
        }
    }

    public override string BeginRows(string table, IReadOnlyList<string> columns, string primaryKey, IReadOnlyList<string>? conflictKey)
    {
        _derivingRows = DerivesTenant(table);
        if (!_derivingRows)
        {
            return base.BeginRows(table, columns, primaryKey, conflictKey);   // file_paths' natural key has tenant_id already
        }

        if (_tenantLookup is null)
        {
            // Every file record the load may name (written earlier in this transaction included),
            // indexed by path_id, which the keyed file_paths has no index of its own on.
            Run($"CREATE TEMPORARY TABLE {TenantsTable} ON COMMIT DROP AS SELECT path_id, tenant_id FROM file_paths");
            Run($"CREATE INDEX ON {TenantsTable} (path_id)");
            Run($"ANALYZE {TenantsTable}");
            _tenantLookup = new NpgsqlCommand($"SELECT tenant_id FROM {TenantsTable} WHERE path_id = @path", _npgsql, (NpgsqlTransaction)Transaction);
            _tenantLookup.Parameters.Add(new NpgsqlParameter("@path", NpgsqlDbType.Uuid));
        }

        // The tenant goes in as a value, so that each row is one routed insert (on Citus a
        // single-shard one, where an INSERT ... SELECT would go through the coordinator).
        _rowParent = columns.ToList().IndexOf("path_id");
        (_lastPath, _lastTenant) = (null, null);
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}, tenant_id) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))}, @tenant)";
        return conflictKey is null ? sql : sql + Upsert(columns, primaryKey, ["tenant_id", .. conflictKey]);
    }

    public override void AddRowParameters(DbCommand command)
    {
        if (_derivingRows)
        {
            _tenant = new NpgsqlParameter("@tenant", NpgsqlDbType.Varchar);
            command.Parameters.Add(_tenant);
        }
    }

    public override object? WriteRow(DbCommand command, bool returnsKey)
    {
        if (!_derivingRows)
        {
            return base.WriteRow(command, returnsKey);
        }

        // A file's attributes usually arrive together: look its tenant up once for them.
        var path = command.Parameters[_rowParent].Value;
        if (!Equals(path, _lastPath))
        {
            _tenantLookup!.Parameters[0].Value = path;
            _lastTenant = _tenantLookup.ExecuteScalar() as string;
            _lastPath = path;
        }

        if (_lastTenant is null)
        {
            return null;   // no such file: the caller refuses the row
        }

        _tenant!.Value = _lastTenant;
        return base.WriteRow(command, returnsKey);
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

    private bool DerivesTenant(string table) => _layout.IsTenantKeyed && table == MetadataTable;

    private int Run(string sql)
    {
        using var command = Connection.CreateCommand(sql, Transaction);
        command.CommandTimeout = 0;
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// Moves the loaded attribute rows into file_metadata, each with its file's tenant; refuses
    /// (the transaction then rolls back) when a row's file is not among file_paths, or is there
    /// under more than one tenant.
    /// </summary>
    private void MoveWithTenants(IReadOnlyList<string> columns)
    {
        var names = string.Join(", ", columns);
        var loaded = Connection.Scalar<long>($"SELECT count(*) FROM {LoadTable}", Transaction);
        var moved = Run($"INSERT INTO {MetadataTable} ({names}, tenant_id) SELECT {string.Join(", ", columns.Select(c => "m." + c))}, p.tenant_id FROM {LoadTable} m JOIN file_paths p ON p.path_id = m.path_id");
        if (moved != loaded)
        {
            using var command = Connection.CreateCommand(
                $"""
                SELECT m.metadata_id::text, m.path_id::text, count(p.path_id)
                  FROM {LoadTable} m LEFT JOIN file_paths p ON p.path_id = m.path_id
                 GROUP BY m.metadata_id, m.path_id HAVING count(p.path_id) <> 1
                 ORDER BY 3, 1 LIMIT 1
                """,
                Transaction);
            using var reader = command.ExecuteReader();
            var (metadata, path, files) = reader.Read() ? (reader.GetString(0), reader.GetString(1), reader.GetInt64(2)) : ("?", "?", 0L);
            reader.Close();
            // A join, not NOT EXISTS: Citus plans no correlated subquery between a local and a distributed table.
            var orphans = Connection.Scalar<long>($"SELECT count(*) FROM {LoadTable} m LEFT JOIN file_paths p ON p.path_id = m.path_id WHERE p.path_id IS NULL", Transaction);
            throw new NexusException(NexusErrorKind.InvalidData,
                files == 0
                    ? $"file_metadata row metadata_id='{metadata}': its file record (path_id '{path}') is not among the file records written, so it has no tenant in this {_layout.Name} store ({orphans} attribute row(s) without a file). Nothing was written."
                    : $"file_metadata row metadata_id='{metadata}': its file record (path_id '{path}') is there under {files} tenants, so its tenant is ambiguous in this {_layout.Name} store. Nothing was written.",
                $"{MetadataTable}:{metadata}",
                hint: "Correct the source: every attribute row belongs to exactly one file record.");
        }

        Run($"DROP TABLE {LoadTable}");
    }

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
